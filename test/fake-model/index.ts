export { isMainConversationRequest } from './classifyRequest.js';
export { SAMPLE_AUDIT, SCENARIOS } from './scenarios.js';
export { startFakeModelServer } from './startFakeModelServer.js';
export type { FakeModelServer, FakeModelServerOptions, FakeReply, RecordedRequest, ReplyContext, ReplyScript } from './types.js';
export { errorTypeForStatus, jsonReplyText } from './writeReply.js';
