import { labelledAppWriter, type LabelledApp } from './labelledAppWriter.js';
import { seededRandom } from './seededRandom.js';

/** Ends a template line that is vulnerable; removed from the written file, its line number is labelled. */
const VULN = ' //!VULN';

/**
 * Writes a plain-PHP forum of about 700 KB, written after the `security`
 * ranking was tuned (a held-out check that it was not fitted to the other
 * two applications): controllers with a few vulnerable actions among many
 * benign ones, models, helpers, views, vendored-looking libraries, tests,
 * docs and translations. Vulnerabilities: SQL injection, command injection,
 * file inclusion, path traversal, unserialize, XSS in views, open redirect,
 * weak hashing and randomness, hard-coded credentials, missing access checks.
 *
 * @example const app = writeVulnerablePhpApp('/tmp/forum'); app.labels.length
 */
export function writeVulnerablePhpApp(dir: string): LabelledApp {
  const { write, finish } = labelledAppWriter(dir, VULN);
  const random = seededRandom(424242);
  const CONTROLLERS = ['Thread', 'Post', 'User', 'Admin', 'Attachment', 'Search', 'Message', 'Category', 'Tag', 'Poll', 'Badge', 'Report', 'Settings', 'Feed', 'Moderation', 'Notification'];
  for (const name of CONTROLLERS) write(`src/Controller/${name}Controller.php`, controller(name, random));
  for (const name of CONTROLLERS) write(`src/Model/${name}.php`, model(name, random));
  for (const name of CONTROLLERS) write(`tests/${name}ControllerTest.php`, testFile(name, random));
  for (const lang of ['de', 'fr', 'es', 'it', 'pl', 'ru', 'ja', 'pt']) write(`lang/${lang}/messages.php`, translations(lang, random));
  for (const lib of ['Markdown', 'Mailer', 'ImageResize', 'Paginator']) write(`lib/${lib}.php`, library(lib, random));
  for (const page of ['thread', 'post', 'profile', 'search', 'admin', 'inbox']) write(`views/${page}.php`, view(page));
  for (const topic of ['install', 'upgrade', 'api', 'hardening']) write(`docs/${topic}.md`, doc(topic, random));
  write('config/config.php', ["<?php", "return [", "    'db_host' => 'localhost',", "    'db_user' => 'forum',", "    'db_pass' => 'forum-prod-2024'," + VULN, "    'debug' => true," + VULN, "];", ''].join('\n'));
  write('public/index.php', ["<?php", "require __DIR__ . '/../src/bootstrap.php';", "$page = $_GET['page'] ?? 'home';", "include __DIR__ . '/../pages/' . $page . '.php';" + VULN, ''].join('\n'));
  write('src/bootstrap.php', ["<?php", "session_start();", "spl_autoload_register(function ($class) {", "    require __DIR__ . '/' . str_replace('\\\\', '/', $class) . '.php';", '});', "$db = new PDO('mysql:host=localhost;dbname=forum', 'forum', 'forum-prod-2024');" + VULN, ''].join('\n'));
  write('src/Security/Tokens.php', ["<?php", "namespace Security;", '', 'final class Tokens', '{', '    public static function resetToken(): string', '    {', "        return md5(mt_rand());" + VULN, '    }', '', '    public static function hashPassword(string $password): string', '    {', '        return sha1($password);' + VULN, '    }', '}', ''].join('\n'));
  return finish('generated PHP forum (PHP, held out)');
}


/** The vulnerable actions, by controller; each goes among benign actions. */
const VULNERABLE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  Thread: [
    '    public function show(): void',
    '    {',
    "        $id = $_GET['id'];",
    '        $rows = $this->db->query("SELECT * FROM threads WHERE id = " . $id);' + VULN,
    "        $this->render('thread', ['thread' => $rows->fetch()]);",
    '    }',
  ],
  Search: [
    '    public function results(): void',
    '    {',
    "        $term = $_GET['q'] ?? '';",
    '        $stmt = $this->db->query("SELECT id, title FROM posts WHERE title LIKE \'%$term%\'");' + VULN,
    "        $this->render('search', ['term' => $term, 'rows' => $stmt->fetchAll()]);",
    '    }',
  ],
  Admin: [
    '    public function deleteUser(): void',
    '    {' + VULN,
    "        $this->db->prepare('DELETE FROM users WHERE id = ?')->execute([$_POST['id']]);",
    "        $this->redirect('/admin/users');",
    '    }',
    '',
    '    public function backup(): void',
    '    {',
    "        $name = $_POST['name'];",
    '        shell_exec("mysqldump forum > /var/backups/" . $name);' + VULN,
    '    }',
  ],
  Attachment: [
    '    public function download(): void',
    '    {',
    "        $file = $_GET['file'];",
    "        readfile(__DIR__ . '/../../uploads/' . $file);" + VULN,
    '    }',
  ],
  User: [
    '    public function restorePreferences(): void',
    '    {',
    "        $prefs = unserialize(base64_decode($_COOKIE['prefs']));" + VULN,
    "        $this->json($prefs);",
    '    }',
    '',
    '    public function logout(): void',
    '    {',
    '        session_destroy();',
    "        header('Location: ' . $_GET['return']);" + VULN,
    '    }',
  ],
  Message: [
    '    public function read(): void',
    '    {',
    "        $message = $this->db->prepare('SELECT * FROM messages WHERE id = ?');",
    "        $message->execute([$_GET['id']]);" + VULN,
    "        $this->render('inbox', ['message' => $message->fetch()]);",
    '    }',
  ],
};

function controller(name: string, random: () => number): string {
  const out = ['<?php', 'namespace Controller;', '', `final class ${name}Controller extends BaseController`, '{'];
  const benign = (count: number): void => {
    for (let i = 0; i < count; i++) {
      const action = `${['list', 'show', 'edit', 'update', 'archive', 'export'][Math.floor(random() * 6)]}${name}${i}`;
      out.push(
        `    public function ${action}(): void`,
        '    {',
        "        $this->requireLogin();",
        `        $stmt = $this->db->prepare('SELECT * FROM ${name.toLowerCase()}s WHERE id = ? AND owner_id = ?');`,
        "        $stmt->execute([(int) ($_GET['id'] ?? 0), $_SESSION['user_id']]);",
        `        $this->render('${name.toLowerCase()}', ['row' => $stmt->fetch(), 'page' => (int) ($_GET['page'] ?? 1)]);`,
        '    }',
        '',
      );
    }
  };
  benign(5 + Math.floor(random() * 5));
  const vulnerable = VULNERABLE_ACTIONS[name];
  if (vulnerable) out.push(...vulnerable, '');
  benign(6 + Math.floor(random() * 6));
  out.push('}', '');
  return out.join('\n');
}

function model(name: string, random: () => number): string {
  const out = ['<?php', 'namespace Model;', '', `final class ${name}`, '{'];
  for (let i = 0; i < 25; i++) {
    out.push(`    private ?string $field${i} = null;`, '', `    public function getField${i}(): ?string`, '    {', `        return $this->field${i};`, '    }', '', `    public function setField${i}(?string $value): void`, '    {', `        $this->field${i} = $value === null ? null : trim($value) . '${Math.floor(random() * 100)}';`, '    }', '');
  }
  out.push('}', '');
  return out.join('\n');
}

function testFile(name: string, random: () => number): string {
  const out = ['<?php', 'use PHPUnit\\Framework\\TestCase;', '', `final class ${name}ControllerTest extends TestCase`, '{'];
  for (let i = 0; i < 10; i++) {
    out.push(`    public function testAction${i}(): void`, '    {', `        $_GET['id'] = '${Math.floor(random() * 1000)}';`, '        $rows = $this->db->query("SELECT * FROM t WHERE id = " . $_GET[\'id\']);', "        $this->assertNotFalse($rows);", '    }', '');
  }
  out.push('}', '');
  return out.join('\n');
}

function translations(lang: string, random: () => number): string {
  const out = ['<?php', 'return ['];
  for (const key of ['password', 'login', 'logout', 'token_expired', 'session', 'search']) out.push(`    '${key}' => '${lang} ${key} ${Math.floor(random() * 1e6).toString(36)}',`);
  for (let i = 0; i < 150; i++) out.push(`    'label_${i}' => '${lang} label ${i} ${Math.floor(random() * 1e9).toString(36)}',`);
  out.push('];', '');
  return out.join('\n');
}

function library(name: string, random: () => number): string {
  const out = ['<?php', `/* ${name}: a small bundled helper library */`, '', `final class ${name}`, '{'];
  for (let i = 0; i < 40; i++) out.push(`    public static function step${i}(array $input): array`, '    {', `        return array_map(fn ($v) => is_string($v) ? trim($v) : $v, array_slice($input, 0, ${10 + Math.floor(random() * 90)}));`, '    }', '');
  out.push('}', '');
  return out.join('\n');
}

function view(page: string): string {
  const lines = ['<?php /** @var array $row */ ?>', `<h1><?= htmlspecialchars($title ?? '${page}') ?></h1>`];
  if (page === 'search') lines.push('<p>Results for <?= $term ?></p>' + VULN);
  if (page === 'post') lines.push('<div class="body"><?php echo $row[\'body\']; ?></div>' + VULN);
  for (let i = 0; i < 25; i++) lines.push(`<p class="${page}-${i}"><?= htmlspecialchars($row['field${i}'] ?? '') ?></p>`);
  return `${lines.join('\n')}\n`;
}

function doc(topic: string, random: () => number): string {
  const out = [`# ${topic}`, ''];
  for (let i = 0; i < 25; i++) out.push(`## Step ${i}`, '', `Set the session cookie and the password policy (${Math.floor(random() * 1e6)}).`, '```php', '$db->query("SELECT * FROM users WHERE name = \'" . $name . "\'"); // never do this', '```', '');
  return `${out.join('\n')}\n`;
}
