import { describe, expect, it } from 'vitest';
import { type ExportedMessage, formatter } from '../../src/export/formats.js';

const message = (text: string | null, displayName: string | null = '客户'): ExportedMessage => ({
  id: '-id',
  externalId: '@1',
  sentAt: '2026-11-30T00:00:00.000Z',
  kind: 'TEXT',
  recalled: false,
  text,
  sender: { role: 'CUSTOMER', externalId: '+86', displayName },
  raw: {},
});

describe('the CSV export', () => {
  const { row } = formatter('csv', 'x');

  it('keeps what people wrote as text a spreadsheet will not run', () => {
    expect(row(message('=HYPERLINK("http://evil.example","x")', '@admin'))).toBe(
      `-id,@1,2026-11-30T00:00:00.000Z,TEXT,CUSTOMER,+86,'@admin,false,"'=HYPERLINK(""http://evil.example"",""x"")"\r\n`,
    );
    for (const start of ['+', '-', '@', '\t'])
      expect(
        row(message(`${start}1`))
          .split(',')
          .at(-1),
      ).toBe(`'${start}1\r\n`);
    expect(row(message('\rcmd')).split(',').at(-1)).toBe(`"'\rcmd"\r\n`);
  });

  it('leaves ordinary text, ids and times as they are', () => {
    expect(row(message('退款 = 已处理, 谢谢', null))).toBe(
      '-id,@1,2026-11-30T00:00:00.000Z,TEXT,CUSTOMER,+86,,false,"退款 = 已处理, 谢谢"\r\n',
    );
    expect(row(message(null))).toBe('-id,@1,2026-11-30T00:00:00.000Z,TEXT,CUSTOMER,+86,客户,false,\r\n');
  });
});
