/**
 * The configuration file: JSON, validated with zod, secrets taken from environment variables.
 * Every bad field is reported with its path, so an operator fixes them all in one go.
 *
 *     {
 *       "port": 4000,
 *       "cursorSecret": { "env": "CHATGRAPH_CURSOR_SECRET" },
 *       "sources": [
 *         { "vendor": "WECHAT_STORE", "name": "shop", "baseUrl": "https://store.weixin.qq.com",
 *           "cookie": { "env": "SHOP_COOKIE" }, "bizMagic": { "env": "SHOP_BIZ_MAGIC" } }
 *       ]
 *     }
 */
import { readFileSync } from 'node:fs';
import { type ZodError, z } from 'zod';
import { VENDORS } from '../model/index.js';
import { type SourceConfig, VENDOR_PLUGINS } from '../sources/index.js';
import { type Env, secretFrom } from './secret.js';

export interface ChatgraphConfig {
  port: number;
  cursorSecret: string;
  sources: SourceConfig[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly problems: string[];

  constructor(file: string, problems: string[]) {
    super(`Configuration ${file} is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.problems = problems;
  }
}

const problemsOf = (error: ZodError, prefix: Array<string | number> = []): string[] =>
  error.issues.map((issue) => {
    const path = [...prefix, ...issue.path].join('.');
    return `${path || '(root)'}: ${issue.message}`;
  });

export function parseConfig(document: unknown, env: Env, file = 'config'): ChatgraphConfig {
  const secret = secretFrom(env);
  const top = z
    .strictObject({
      port: z.int().min(1).max(65_535).default(4000),
      cursorSecret: secret.pipe(z.string().min(16, 'must be at least 16 characters')),
      sources: z.array(z.looseObject({ vendor: z.enum(VENDORS) })).min(1, 'configure at least one source'),
    })
    .safeParse(document);
  if (!top.success) throw new ConfigError(file, problemsOf(top.error));

  const problems: string[] = [];
  const sources: SourceConfig[] = [];
  const names = new Set<string>();
  top.data.sources.forEach((raw, index) => {
    const parsed = VENDOR_PLUGINS[raw.vendor].configSchema(secret).safeParse(raw);
    if (!parsed.success) {
      problems.push(...problemsOf(parsed.error, ['sources', index]));
      return;
    }
    if (names.has(parsed.data.name))
      problems.push(`sources.${index}.name: "${parsed.data.name}" is used twice`);
    names.add(parsed.data.name);
    sources.push(parsed.data as SourceConfig);
  });
  if (problems.length > 0) throw new ConfigError(file, problems);
  return { port: top.data.port, cursorSecret: top.data.cursorSecret, sources };
}

export function loadConfig(file: string, env: Env): ChatgraphConfig {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(file, [`cannot read it as JSON: ${(error as Error).message}`]);
  }
  return parseConfig(document, env, file);
}
