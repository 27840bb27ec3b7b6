/**
 * Words that show up in identifiers, paths and prose but almost never inside a
 * random token (a given 5-letter word occurs in a random 40-character base62
 * string about once in 26 million). A generic match whose value contains one
 * is a name (`user_profile_cache_v2`), not a credential.
 */
export const IDENTIFIER_WORDS: readonly string[] = [
  'about', 'account', 'action', 'active', 'admin', 'agent', 'alert', 'alpha', 'amazon', 'android', 'angular', 'apache',
  'archive', 'array', 'asset', 'async', 'audio', 'audit', 'author', 'backend', 'backup', 'basic', 'batch', 'bearer',
  'binary', 'block', 'board', 'bucket', 'buffer', 'build', 'bundle', 'button', 'cache', 'callback', 'change', 'channel',
  'chart', 'check', 'chrome', 'class', 'client', 'cloud', 'cluster', 'code', 'color', 'column', 'command', 'comment',
  'commit', 'common', 'component', 'config', 'connect', 'console', 'consumer', 'contact', 'container', 'content',
  'context', 'control', 'cookie', 'core', 'count', 'create', 'credential', 'current', 'custom', 'daemon', 'dashboard',
  'data', 'date', 'debug', 'default', 'define', 'delete', 'demo', 'deploy', 'design', 'detail', 'develop', 'device',
  'dialog', 'digest', 'display', 'docker', 'document', 'domain', 'download', 'driver', 'dummy', 'editor', 'element',
  'email', 'enable', 'encode', 'endpoint', 'engine', 'entity', 'entry', 'error', 'event', 'example', 'export',
  'extension', 'external', 'factory', 'fake', 'feature', 'field', 'file', 'filter', 'first', 'folder', 'format',
  'frame', 'function', 'gateway', 'generate', 'github', 'google', 'group', 'handler', 'header', 'hello', 'helper',
  'hidden', 'history', 'host', 'image', 'import', 'index', 'input', 'insert', 'install', 'instance', 'interface',
  'internal', 'invalid', 'item', 'java', 'json', 'kafka', 'label', 'lambda', 'layout', 'length', 'level', 'library',
  'license', 'limit', 'linux', 'list', 'loader', 'local', 'location', 'lock', 'logger', 'login', 'lookup', 'manager',
  'mapping', 'master', 'match', 'media', 'memory', 'message', 'method', 'metric', 'middleware', 'migration', 'mobile',
  'mock', 'mode', 'model', 'module', 'monitor', 'name', 'network', 'node', 'notify', 'number', 'object', 'option',
  'order', 'output', 'owner', 'package', 'page', 'panel', 'param', 'parent', 'parse', 'partition', 'path', 'pattern',
  'payload', 'payment', 'pending', 'plugin', 'policy', 'prefix', 'preview', 'primary', 'private', 'process', 'product',
  'profile', 'project', 'prompt', 'property', 'provider', 'proxy', 'public', 'python', 'query', 'queue', 'random',
  'react', 'reader', 'record', 'redirect', 'refresh', 'region', 'register', 'release', 'remote', 'render', 'replace',
  'report', 'request', 'require', 'resource', 'response', 'result', 'return', 'review', 'role', 'route', 'rule',
  'runner', 'runtime', 'sample', 'schema', 'script', 'search', 'section', 'select', 'sender', 'server', 'service',
  'session', 'setting', 'setup', 'shared', 'signature', 'simple', 'source', 'staging', 'start', 'state', 'static',
  'status', 'storage', 'store', 'stream', 'string', 'style', 'submit', 'success', 'suffix', 'support', 'switch',
  'system', 'table', 'target', 'task', 'template', 'tenant', 'testing', 'text', 'theme', 'thread', 'timeout', 'title',
  'toggle', 'topic', 'tracker', 'type', 'update', 'upload', 'user', 'util', 'valid', 'value', 'version', 'view',
  'widget', 'window', 'worker', 'wrapper', 'write',
];
