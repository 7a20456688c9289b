import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { ChatgraphError } from '../../../src/errors.js';
import { parseWire } from '../../../src/normalize/wire.js';
import { normalizeWeizhipinMessage, weizhipinContent } from '../../../src/sources/weizhipin/normalize.js';
import {
  WeizhipinImMessage,
  WeizhipinImMessagesResponse,
  WeizhipinTenantAccessTokenResponse,
} from '../../../src/sources/weizhipin/wire.js';

const sample = JSON.parse(
  readFileSync(
    new URL('../../../src/sources/weizhipin/sandbox/weizhipin.im-v2-messages.sample.json', import.meta.url),
    'utf8',
  ),
) as { data: unknown[] };

const ctx = () => ({ source: 'wz', conversation: 'open_id:ou_1', warn: vi.fn() });

const record = (overrides: Record<string, unknown>) =>
  parseWire(
    WeizhipinImMessage,
    {
      message_id: 'm1~',
      msg_type: 'text',
      create_time: '1700000000123',
      sender: { id: 'ou_user', id_type: 'open_id', sender_type: 'user' },
      body: { content: '{"text":"hi"}' },
      ...overrides,
    },
    'wz',
    'record',
  );

describe('weizhipin normalizer', () => {
  it('normalizes the sample record field by field, mentions resolved', () => {
    const raw = sample.data[0];
    const c = ctx();
    const message = normalizeWeizhipinMessage(parseWire(WeizhipinImMessage, raw, 'wz', 'sample'), raw, c);
    expect(message).toEqual({
      vendor: 'WEIZHIPIN',
      source: 'wz',
      conversation: 'open_id:ou_1',
      externalId: 'c909a40e9ed292b31kEWDPHnxajTLa0~',
      sentAt: 1680593068000,
      sender: { role: 'BOT', externalId: null, displayName: null, avatarUrl: null },
      kind: 'TEXT',
      text: '@所有人 @娄修俊 @陈世伟 test',
      recalled: false,
      content: {
        __typename: 'WeizhipinText',
        text: ' @所有人 @娄修俊 @陈世伟 test',
        mentions: [
          { __typename: 'WeizhipinMention', id: '-1', idType: 'open_id', name: '所有人', isAll: true },
          {
            __typename: 'WeizhipinMention',
            id: 'ou_d30ebbab92f41742a20ac0969476857f',
            idType: 'open_id',
            name: '娄修俊',
            isAll: false,
          },
          {
            __typename: 'WeizhipinMention',
            id: 'ou_464a93783034963bfb77ad3bce3354d9',
            idType: 'open_id',
            name: '陈世伟',
            isAll: false,
          },
        ],
      },
      raw,
      msgType: 'text',
      rootId: '07b5df7e131fbe2e1w~~',
      parentId: '07b5df7e131fbe2e1w~~',
      upperMessageId: null,
      updated: false,
      updatedAt: 1680593068000,
      // Issue 13: chat_id, sender.id_type and the tenant key are kept, not dropped.
      chatId: null,
      senderIdType: null,
      senderTenantKey: '327ab1e8160c0b783kUZ',
    });
    expect(c.warn).not.toHaveBeenCalled();
  });

  it('reads the documented snake_case sender as well as the sample camelCase one', () => {
    const snake = normalizeWeizhipinMessage(record({}), {}, ctx());
    expect(snake.sender).toEqual({
      role: 'CUSTOMER',
      externalId: 'ou_user',
      displayName: null,
      avatarUrl: null,
    });
    const camel = normalizeWeizhipinMessage(
      record({ sender: { id: 'cli_1', idType: 'app_id', senderType: 'app', tenantKey: 'tk' } }),
      {},
      ctx(),
    );
    expect(camel.sender).toEqual({ role: 'BOT', externalId: 'cli_1', displayName: null, avatarUrl: null });
  });

  it('maps an unknown sender type to UNKNOWN with a warning', () => {
    const c = ctx();
    const message = normalizeWeizhipinMessage(record({ sender: { sender_type: 'alien' } }), {}, c);
    expect(message.sender.role).toBe('UNKNOWN');
    expect(c.warn).toHaveBeenCalledWith('unknown sender type', { messageId: 'm1~', senderType: 'alien' });
    const missing = ctx();
    expect(normalizeWeizhipinMessage(record({ sender: null }), {}, missing).sender.role).toBe('UNKNOWN');
    expect(missing.warn).toHaveBeenCalledTimes(1);
  });

  it('accepts body.content as an object, deleted as recalled, edits and times', () => {
    const message = normalizeWeizhipinMessage(
      record({
        body: { content: { text: 'obj' } },
        deleted: true,
        updated: true,
        create_time: 1700000000123,
        update_time: '1700000005000',
      }),
      {},
      ctx(),
    );
    expect(message.content).toEqual({ __typename: 'WeizhipinText', text: 'obj', mentions: [] });
    expect(message.recalled).toBe(true);
    expect(message.updated).toBe(true);
    expect(message.sentAt).toBe(1700000000123);
    expect(message.updatedAt).toBe(1700000005000);
  });

  it('resolves Lark-style mention keys to names', () => {
    const content = weizhipinContent(
      record({
        body: { content: '{"text":"@_user_1 @_all hello"}' },
        mentions: [
          { id: 'ou_a', id_type: 'open_id', key: '@_user_1', name: 'Tom' },
          { id: 'all', key: '@_all', name: '所有人' },
        ],
      }),
    );
    expect(content).toEqual({
      __typename: 'WeizhipinText',
      text: '@Tom @所有人 hello',
      mentions: [
        { __typename: 'WeizhipinMention', id: 'ou_a', idType: 'open_id', name: 'Tom', isAll: false },
        { __typename: 'WeizhipinMention', id: 'all', idType: null, name: '所有人', isAll: true },
      ],
    });
  });

  it('leaves names null when the @words and the mentioned ids do not line up', () => {
    const content = weizhipinContent(
      record({
        body: { content: '{"text":"mail a@b.c and @x @y","atIdList":["-1"]}' },
        mentions: [{ id: '-1', id_type: 'open_id' }],
      }),
    );
    expect(content).toEqual({
      __typename: 'WeizhipinText',
      text: 'mail a@b.c and @x @y',
      mentions: [
        { __typename: 'WeizhipinMention', id: '-1', idType: 'open_id', name: '所有人', isAll: true },
      ],
    });
  });

  it('reads images by key', () => {
    const message = normalizeWeizhipinMessage(
      record({ msg_type: 'image', body: { content: '{"image_key":"img_v2_1"}' } }),
      {},
      ctx(),
    );
    expect(message.content).toEqual({ __typename: 'WeizhipinImage', imageKey: 'img_v2_1' });
    expect(message.kind).toBe('IMAGE');
    expect(message.text).toBeNull();
    expect(weizhipinContent(record({ msg_type: 'image', body: { content: '{}' } }))).toEqual({
      __typename: 'UnsupportedContent',
      vendorType: 'image',
      raw: {},
    });
  });

  it('keeps rich text in structure, in both formats and inside a locale key', () => {
    const post = {
      title: '标题',
      content: [
        [
          { tag: 'text', text: '粗体', style: ['bold'] },
          { tag: 'a', text: '链接', href: 'https://e.invalid/x' },
        ],
        [
          { tag: 'at', user_id: 'ou_b', user_name: '李雷' },
          { tag: 'at', user_id: '-1' },
          { tag: 'img', image_key: 'img_2' },
          { tag: 'hr' },
        ],
      ],
    };
    const expected = {
      __typename: 'WeizhipinRichText',
      format: 'rich_text',
      title: '标题',
      paragraphs: [
        {
          elements: [
            { __typename: 'WeizhipinRichTextText', text: '粗体', styles: ['bold'] },
            { __typename: 'WeizhipinRichTextLink', text: '链接', href: 'https://e.invalid/x' },
          ],
        },
        {
          elements: [
            { __typename: 'WeizhipinMention', id: 'ou_b', idType: null, name: '李雷', isAll: false },
            { __typename: 'WeizhipinMention', id: '-1', idType: null, name: '所有人', isAll: true },
            { __typename: 'WeizhipinImage', imageKey: 'img_2' },
            { __typename: 'WeizhipinRichTextUnknown', tag: 'hr', raw: { tag: 'hr' } },
          ],
        },
      ],
    };
    const message = normalizeWeizhipinMessage(
      record({ msg_type: 'rich_text', body: { content: JSON.stringify(post) } }),
      {},
      ctx(),
    );
    expect(message.content).toEqual(expected);
    expect(message.kind).toBe('RICH_TEXT');
    expect(message.text).toBe('标题\n粗体链接\n@李雷@所有人');
    expect(
      weizhipinContent(record({ msg_type: 'new_rich_text', body: { content: { zh_cn: post } } })),
    ).toEqual({
      ...expected,
      format: 'new_rich_text',
    });
  });

  it('reads system cards, and shows cards and unknown types as unsupported', () => {
    const card = { title: '系统通知', text: '会话已结束', template: 't1' };
    const message = normalizeWeizhipinMessage(
      record({ msg_type: 'system_card', body: { content: JSON.stringify(card) } }),
      {},
      ctx(),
    );
    expect(message.content).toEqual({
      __typename: 'WeizhipinSystemCard',
      title: '系统通知',
      text: '会话已结束',
      card,
    });
    expect(message.kind).toBe('SYSTEM');
    expect(message.text).toBe('系统通知 · 会话已结束');

    const compressive = normalizeWeizhipinMessage(
      record({ msg_type: 'compressive_card', body: { content: '' } }),
      {},
      ctx(),
    );
    expect(compressive.content).toEqual({
      __typename: 'UnsupportedContent',
      vendorType: 'compressive_card',
      raw: '',
    });
    expect(compressive.kind).toBe('UNSUPPORTED');
    expect(weizhipinContent(record({ msg_type: 'sticker', body: { content: '{"k":1}' } }))).toEqual({
      __typename: 'UnsupportedContent',
      vendorType: 'sticker',
      raw: { k: 1 },
    });
    expect(weizhipinContent(record({ msg_type: 'text', body: { content: 'not json' } }))).toEqual({
      __typename: 'UnsupportedContent',
      vendorType: 'text',
      raw: 'not json',
    });
  });

  it('names the field of a record that cannot be read', () => {
    expect(() => record({ message_id: undefined })).toThrow(ChatgraphError);
    expect(() => record({ create_time: 'yesterday' })).toThrow(/field "create_time"/);
  });

  it('reads the messages response and both documented token response shapes', () => {
    expect(parseWire(WeizhipinImMessagesResponse, sample, 'wz', 'r').data).toHaveLength(1);
    expect(parseWire(WeizhipinImMessagesResponse, { code: 0, data: null }, 'wz', 'r').data).toEqual([]);
    expect(
      parseWire(
        WeizhipinTenantAccessTokenResponse,
        { code: 0, tenant_access_token: 't-1', expire: 7140 },
        'wz',
        't',
      ),
    ).toEqual({ code: 0, token: 't-1', expireSeconds: 7140 });
    expect(
      parseWire(
        WeizhipinTenantAccessTokenResponse,
        { code: 0, msg: 'ok', data: { tenant_access_token: 't-2', expire: '7000' } },
        'wz',
        't',
      ),
    ).toEqual({ code: 0, token: 't-2', expireSeconds: 7000 });
  });
});
