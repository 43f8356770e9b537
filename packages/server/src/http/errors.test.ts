import { UserCreateInput } from '@tanfang/domain';
import { describe, expect, it } from 'vitest';
import type { AppError } from './errors.js';
import { parseInput } from './errors.js';

function fail(input: unknown): AppError {
  try {
    parseInput(UserCreateInput, input);
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a validation error');
}

describe('parseInput', () => {
  it('names the first bad field and lists every issue in Chinese', () => {
    const e = fail({
      username: 'ab',
      displayName: '张三',
      role: 'village',
      jurisdiction: '210624101201',
      password: 'abcdefghij1',
      extra: 1,
    });
    expect(e.status).toBe(400);
    expect(e.field).toBe('username');
    expect(e.message).toContain('用户名至少 3 个字符');
    expect(e.details).toContainEqual({ field: 'extra', message: '不允许的字段：extra' });
  });

  it('says which field is missing or of the wrong type', () => {
    const e = fail({
      username: 'zhangsan',
      displayName: 42,
      role: 'village',
      jurisdiction: '210624101201',
      password: 'abcdefghij1',
    });
    expect(e.field).toBe('displayName');
    expect(e.message).toContain('姓名必须是字符串');
    const missing = fail({
      username: 'zhangsan',
      displayName: '张三',
      role: 'village',
      password: 'abcdefghij1',
    });
    expect(missing.field).toBe('jurisdiction');
  });

  it('refuses an empty body', () => {
    expect(() => parseInput(UserCreateInput, undefined)).toThrow('请求体不能为空');
  });
});
