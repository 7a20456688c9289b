import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type MyscrmNormalizeContext,
  normalizeMyscrmMessage,
} from '../../../src/sources/myscrm/normalize.js';
import { MyscrmChatRecord } from '../../../src/sources/myscrm/wire.js';

const sample = JSON.parse(
  readFileSync(
    new URL('../../../src/sources/myscrm/sandbox/myscrm.chat-record-pull.sample.json', import.meta.url),
    'utf8',
  ),
) as { list: Array<Record<string, unknown>> };
const SAMPLE = sample.list[0] as Record<string, unknown>;

const FETCHED_AT = Date.UTC(2026, 1, 3, 4, 0, 0);
const EXPIRES_AT = FETCHED_AT + 3_600_000;

let warnings: Array<[string, Record<string, unknown>]> = [];
const ctx: MyscrmNormalizeContext = {
  source: 'scrm',
  conversation: 'chat-1',
  fetchedAt: FETCHED_AT,
  warn: (message, details) => warnings.push([message, details]),
};
const normalize = (raw: Record<string, unknown>) =>
  normalizeMyscrmMessage(MyscrmChatRecord.parse(raw), raw, ctx);

beforeEach(() => {
  warnings = [];
});

describe('the sample record', () => {
  it('is a recalled text message whose sender role only the vendor can tell, with its compliance flag', () => {
    const message = normalize(SAMPLE);
    expect(message).toEqual({
      vendor: 'MYSCRM',
      source: 'scrm',
      conversation: 'chat-1',
      externalId: '3a0c793e-042b-228c-699d-7a5d84b41611',
      sentAt: 1689651305443,
      sender: {
        // A `wo…` id, yet the greeting is the employee's: no guess from the id's form.
        role: 'UNKNOWN',
        externalId: 'woD2JCDwAAmWSuw2xAxWsV1Nmihz5Kdx',
        displayName: null,
        avatarUrl: null,
      },
      kind: 'TEXT',
      text: '您好,请问您有什么需要咨询的',
      recalled: true,
      content: { __typename: 'TextContent', text: '您好,请问您有什么需要咨询的' },
      raw: SAMPLE,
      qwChatRecordId: '21904336554441465850_1689651309653_external',
      receiverIds: ['woD2JCDwAArHdkBUH9uyILlQs1RTyo9q'],
      complianceFlags: [
        { ruleId: '4dddedd4-c5e7-436f-be4f-d58adc283a3b', ruleName: '过度承诺', keywords: ['保证', '一定'] },
      ],
      recalledAt: 1689651340643,
      action: 'action',
      sticker: null,
    });
    expect(warnings).toEqual([]);
  });

  it('takes the role the vendor told through sender_type', () => {
    const message = normalizeMyscrmMessage(MyscrmChatRecord.parse(SAMPLE), SAMPLE, {
      ...ctx,
      senderRole: 'AGENT',
    });
    expect(message.sender.role).toBe('AGENT');
  });

  // The sample carries every documented block (with placeholder values): each `type` reads its own.
  it.each([
    [
      'text',
      'TEXT',
      { __typename: 'TextContent', text: '您好,请问您有什么需要咨询的' },
      '您好,请问您有什么需要咨询的',
    ],
    [
      'image',
      'IMAGE',
      {
        __typename: 'ImageContent',
        url: 'string',
        thumbnailUrl: 'string',
        width: null,
        height: null,
        expiresAt: EXPIRES_AT,
      },
      null,
    ],
    [
      'video',
      'VIDEO',
      {
        __typename: 'VideoContent',
        url: 'string',
        thumbnailUrl: null,
        durationSeconds: 0,
        expiresAt: EXPIRES_AT,
      },
      null,
    ],
    [
      'voice',
      'AUDIO',
      {
        __typename: 'AudioContent',
        url: 'string',
        durationSeconds: 0,
        transcript: null,
        expiresAt: EXPIRES_AT,
      },
      null,
    ],
    ['agree', 'SYSTEM', { __typename: 'MyscrmConsent', agreed: true, userId: 'string', at: null }, null],
    ['disagree', 'SYSTEM', { __typename: 'MyscrmConsent', agreed: false, userId: 'string', at: null }, null],
    [
      'file',
      'FILE',
      { __typename: 'FileContent', url: 'string', name: 'string', sizeBytes: 0, expiresAt: EXPIRES_AT },
      'string',
    ],
    [
      'miniprogram',
      'CARD',
      {
        __typename: 'MyscrmMiniProgram',
        title: 'string',
        description: 'string',
        username: 'string',
        appName: 'string',
      },
      'string\nstring\nstring',
    ],
    [
      'redpacket',
      'CARD',
      { __typename: 'MyscrmRedPacket', packetType: null, wish: 'string', count: 0, totalAmountFen: 0 },
      'string',
    ],
    [
      'link',
      'LINK',
      {
        __typename: 'LinkContent',
        url: 'string',
        title: 'string',
        description: 'string',
        imageUrl: 'string',
      },
      'string\nstring',
    ],
    ['card', 'CARD', { __typename: 'MyscrmContactCard', corpName: 'string', userId: 'string' }, 'string'],
    [
      'location',
      'LOCATION',
      {
        __typename: 'LocationContent',
        latitude: 0,
        longitude: 0,
        name: 'string',
        address: 'string',
        zoom: 0,
      },
      'string\nstring',
    ],
    [
      'docmsg',
      'LINK',
      { __typename: 'MyscrmSharedDocument', title: 'string', url: 'string', creatorId: 'string' },
      'string',
    ],
    [
      'emotion',
      'STICKER',
      {
        __typename: 'StickerContent',
        url: 'string',
        thumbnailUrl: 'string',
        width: null,
        height: null,
        expiresAt: EXPIRES_AT,
      },
      null,
    ],
  ])('reads the %s block as %s', (type, kind, content, text) => {
    const message = normalize({ ...SAMPLE, type });
    expect(message.kind).toBe(kind);
    expect(message.content).toEqual(content);
    expect(message.text).toBe(text);
    expect(warnings).toEqual([]);
  });
});

/** A record as the archive sends it: one block, the one its `type` names. */
const record = (type: string, block: unknown, extra: Record<string, unknown> = {}) => ({
  chat_record_id: '0f5c2a9e-1d2b-4c3a-9e8f-7a6b5c4d3e2f',
  qw_chat_record_id: '1234567890_1769000000000_external',
  action: 'send',
  sender_id: 'zhangwei',
  receiver_ids: ['woAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'li.na'],
  send_time: 1769000000000,
  type,
  hit_keyword_rules: [],
  is_recall: false,
  recall_time: 0,
  [type]: block,
  ...extra,
});

describe('content blocks as real records carry them', () => {
  it.each([
    [
      'text',
      { content: '首付一定能办下来' },
      'TEXT',
      { __typename: 'TextContent', text: '首付一定能办下来' },
      '首付一定能办下来',
    ],
    [
      'image',
      {
        oss_url: 'https://oss.invalid/a.jpg',
        thumb_url: 'https://oss.invalid/a.jpg?x-oss-process=image/resize,w_106',
      },
      'IMAGE',
      {
        __typename: 'ImageContent',
        url: 'https://oss.invalid/a.jpg',
        thumbnailUrl: 'https://oss.invalid/a.jpg?x-oss-process=image/resize,w_106',
        width: null,
        height: null,
        expiresAt: EXPIRES_AT,
      },
      null,
    ],
    [
      'video',
      { oss_url: 'https://oss.invalid/v.mp4', length: 42 },
      'VIDEO',
      {
        __typename: 'VideoContent',
        url: 'https://oss.invalid/v.mp4',
        thumbnailUrl: null,
        durationSeconds: 42,
        expiresAt: EXPIRES_AT,
      },
      null,
    ],
    [
      'voice',
      { oss_url: 'https://oss.invalid/v.amr', length: '7' },
      'AUDIO',
      {
        __typename: 'AudioContent',
        url: 'https://oss.invalid/v.amr',
        durationSeconds: 7,
        transcript: null,
        expiresAt: EXPIRES_AT,
      },
      null,
    ],
    [
      'file',
      { oss_url: 'https://oss.invalid/f.pdf', filename: '认购协议.pdf', size: 123456 },
      'FILE',
      {
        __typename: 'FileContent',
        url: 'https://oss.invalid/f.pdf',
        name: '认购协议.pdf',
        sizeBytes: 123456,
        expiresAt: EXPIRES_AT,
      },
      '认购协议.pdf',
    ],
    [
      'emotion',
      {
        type: 1,
        width: 240,
        height: 200,
        oss_url: 'https://oss.invalid/e.gif',
        size: 5000,
        thumb_url: 'https://oss.invalid/e.gif?t',
      },
      'STICKER',
      {
        __typename: 'StickerContent',
        url: 'https://oss.invalid/e.gif',
        thumbnailUrl: 'https://oss.invalid/e.gif?t',
        width: 240,
        height: 200,
        expiresAt: EXPIRES_AT,
      },
      null,
    ],
    [
      'link',
      {
        title: 'Refund policy',
        description: '定金说明',
        url: 'https://example.invalid/r',
        image_url: 'https://example.invalid/r.jpg',
      },
      'LINK',
      {
        __typename: 'LinkContent',
        url: 'https://example.invalid/r',
        title: 'Refund policy',
        description: '定金说明',
        imageUrl: 'https://example.invalid/r.jpg',
      },
      'Refund policy\n定金说明',
    ],
    [
      'docmsg',
      { title: '看房登记表', link_url: 'https://doc.weixin.qq.com/sheet/x', doc_creator: 'li.na' },
      'LINK',
      {
        __typename: 'MyscrmSharedDocument',
        title: '看房登记表',
        url: 'https://doc.weixin.qq.com/sheet/x',
        creatorId: 'li.na',
      },
      '看房登记表',
    ],
    [
      'location',
      { longitude: 113.95, latitude: 22.54, address: '深圳市南山区', title: '售楼处', zoom: 15 },
      'LOCATION',
      {
        __typename: 'LocationContent',
        latitude: 22.54,
        longitude: 113.95,
        name: '售楼处',
        address: '深圳市南山区',
        zoom: 15,
      },
      '售楼处\n深圳市南山区',
    ],
    [
      'miniprogram',
      {
        title: '在线选房',
        description: '3D 看房',
        username: 'gh_5c0d3e7f9a1b@app',
        miniprogram_name: '明源云客',
      },
      'CARD',
      {
        __typename: 'MyscrmMiniProgram',
        title: '在线选房',
        description: '3D 看房',
        username: 'gh_5c0d3e7f9a1b@app',
        appName: '明源云客',
      },
      '明源云客\n在线选房\n3D 看房',
    ],
    [
      'redpacket',
      { type: 2, wish: '恭喜发财', count: 3, total_amount: 888 },
      'CARD',
      { __typename: 'MyscrmRedPacket', packetType: 2, wish: '恭喜发财', count: 3, totalAmountFen: 888 },
      '恭喜发财',
    ],
    [
      'card',
      { corp_name: '明源云', user_id: 'wang_fang' },
      'CARD',
      { __typename: 'MyscrmContactCard', corpName: '明源云', userId: 'wang_fang' },
      '明源云',
    ],
    [
      'agree',
      { user_id: 'woAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', agree_time: 1769000000000 },
      'SYSTEM',
      {
        __typename: 'MyscrmConsent',
        agreed: true,
        userId: 'woAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        at: 1769000000000,
      },
      null,
    ],
    [
      'disagree',
      { user_id: 'woAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', disagree_time: 1769000001000 },
      'SYSTEM',
      {
        __typename: 'MyscrmConsent',
        agreed: false,
        userId: 'woAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        at: 1769000001000,
      },
      null,
    ],
  ])('%s', (type, block, kind, content, text) => {
    const message = normalize(record(type, block));
    expect(message.kind).toBe(kind);
    expect(message.content).toEqual(content);
    expect(message.text).toBe(text);
    expect(warnings).toEqual([]);
  });

  it.each([
    'revoke',
    'chatrecord',
    'todo',
    'vote',
    'collect',
    'meeting',
    'markdown',
    'news',
    'calendar',
    'mixed',
    'meeting_voice_call',
    'voip_doc_share',
    'voiptext',
    'qydiskfile',
    'something_new',
  ])('the undocumented archive type %s is UnsupportedContent with the whole record', (type) => {
    const raw = record(type, { info: { content: 'x' } });
    const message = normalize(raw);
    expect(message.kind).toBe('UNSUPPORTED');
    expect(message.text).toBeNull();
    expect(message.content).toEqual({ __typename: 'UnsupportedContent', vendorType: type, raw });
  });

  it('a documented type without its block is UnsupportedContent, with a warning', () => {
    const raw = { ...record('image', undefined), image: undefined };
    expect(normalize(raw).content).toEqual({ __typename: 'UnsupportedContent', vendorType: 'image', raw });
    const text = record('text', { content: 42 });
    expect(normalize(text).content).toEqual({
      __typename: 'UnsupportedContent',
      vendorType: 'text',
      raw: text,
    });
    expect(warnings.map(([message, details]) => [message, details.type])).toEqual([
      ['content block missing or unreadable', 'image'],
      ['content block missing or unreadable', 'text'],
    ]);
  });

  it('a record without a type is UnsupportedContent "missing"', () => {
    const raw = { ...record('text', { content: 'hi' }), type: undefined };
    expect(normalize(raw).content).toEqual({ __typename: 'UnsupportedContent', vendorType: 'missing', raw });
  });

  it('media without an address has no expiry', () => {
    expect(normalize(record('image', { oss_url: '', thumb_url: null })).content).toEqual({
      __typename: 'ImageContent',
      url: null,
      thumbnailUrl: null,
      width: null,
      height: null,
      expiresAt: null,
    });
  });
});

describe('senders, recalls and compliance flags', () => {
  it.each([
    ['woD2JCDwAAmWSuw2xAxWsV1Nmihz5Kdx'],
    ['wmD2JCDwAAmWSuw2xAxWsV1Nmihz5Kdx'],
    ['zhangwei'],
    ['chenjie@nbd'],
  ])('%s is UNKNOWN until the vendor says otherwise: ids do not tell roles', (senderId) => {
    const message = normalize(record('text', { content: 'hi' }, { sender_id: senderId }));
    expect(message.sender).toEqual({
      role: 'UNKNOWN',
      externalId: senderId,
      displayName: null,
      avatarUrl: null,
    });
    expect(warnings).toEqual([]);
  });

  it.each([[''], [undefined]])('sender_id %j is no sender id at all', (senderId) => {
    const message = normalize(record('text', { content: 'hi' }, { sender_id: senderId }));
    expect(message.sender.externalId).toBeNull();
    expect(message.sender.role).toBe('UNKNOWN');
  });

  it('reads times sent in seconds as seconds, record by record (finding 3)', () => {
    const seconds = normalize(
      record(
        'agree',
        { user_id: 'wo1', agree_time: 1_769_000_010 },
        { send_time: 1_769_000_009, is_recall: true, recall_time: 1_769_000_099 },
      ),
    );
    expect([seconds.sentAt, seconds.recalledAt]).toEqual([1_769_000_009_000, 1_769_000_099_000]);
    expect(seconds.content).toMatchObject({ at: 1_769_000_010_000 });
    const ms = normalize(record('text', { content: 'hi' }, { send_time: '1769000009123' }));
    expect(ms.sentAt).toBe(1_769_000_009_123);
  });

  it('keeps the action and the emotion block format and size (finding 8)', () => {
    const gif = normalize(
      record('emotion', { type: 1, oss_url: 'https://oss.invalid/e.gif', size: 5000 }, { action: 'send' }),
    );
    expect([gif.action, gif.sticker]).toEqual(['send', { format: 'GIF', formatCode: 1, sizeBytes: 5000 }]);
    const png = normalize(record('emotion', { type: 2, size: 0 }, { action: null }));
    expect([png.action, png.sticker]).toEqual([null, { format: 'PNG', formatCode: 2, sizeBytes: null }]);
    expect(normalize(record('emotion', { type: 7 })).sticker).toEqual({
      format: 'UNKNOWN',
      formatCode: 7,
      sizeBytes: null,
    });
    expect(normalize(record('text', { content: 'hi' })).sticker).toBeNull();
  });

  it('reads recalls in every encoding and ignores a recall_time without a recall', () => {
    const at = (extra: Record<string, unknown>) => {
      const message = normalize(record('text', { content: 'hi' }, extra));
      return [message.recalled, message.recalledAt];
    };
    expect(at({ is_recall: 1, recall_time: '1769000009000' })).toEqual([true, 1769000009000]);
    expect(at({ is_recall: 'true', recall_time: 0 })).toEqual([true, null]);
    expect(at({ is_recall: false, recall_time: 1769000009000 })).toEqual([false, null]);
    expect(at({ is_recall: undefined })).toEqual([false, null]);
  });

  it('keeps every rule hit, reading what it can of a malformed one', () => {
    const message = normalize(
      record(
        'text',
        { content: '返现' },
        {
          hit_keyword_rules: [
            { rule_id: 17, rule_name: '返利诱导', keywords: ['返现', 3] },
            { rule_id: 'r2' },
            'garbage',
          ],
        },
      ),
    );
    expect(message.complianceFlags).toEqual([
      { ruleId: '17', ruleName: '返利诱导', keywords: ['返现'] },
      { ruleId: 'r2', ruleName: null, keywords: [] },
      { ruleId: null, ruleName: null, keywords: [] },
    ]);
    expect(warnings.map(([message]) => message)).toEqual(['unreadable hit_keyword_rules item']);
  });

  it('keeps receiver ids that are strings', () => {
    const message = normalize(record('text', { content: 'hi' }, { receiver_ids: ['a', '', 3, 'b'] }));
    expect(message.receiverIds).toEqual(['a', 'b']);
  });
});
