import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/harness.js';
import { countRegions } from './regions.repository.js';
import { loadBundledRegions } from './regions.loader.js';

describeEachDatabase('the region tree', (env) => {
  it('holds all of China to townships, and 辽宁 and 海南 to villages', async () => {
    const all = await countRegions(env().database.db);
    expect(all).toMatchObject({ province: 31, city: 342, county: 2978, township: 41352 });
    expect(await countRegions(env().database.db, '21')).toMatchObject({ village: 16727 });
    expect(await countRegions(env().database.db, '46')).toMatchObject({ village: 3296 });
    expect(await countRegions(env().database.db, '2106')).toMatchObject({
      county: 6,
      township: 89,
      village: 879,
    });
  });

  it('changes nothing when loaded twice', async () => {
    const before = await countRegions(env().database.db);
    expect(await loadBundledRegions(env().database.db)).toBe(0);
    expect(await countRegions(env().database.db)).toEqual(before);
  });

  it('shows a region with its path and full name', async () => {
    const client = await env().signIn('city', '2106');
    const res = await client.get('/api/regions/210624101201');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      code: '210624101201',
      name: '东岔村委会',
      level: 'village',
      parentCode: '210624101',
      hasChildren: false,
      fullName: '辽宁省丹东市宽甸满族自治县灌水镇东岔村委会',
    });
    expect(res.json().path.map((p: { name: string }) => p.name)).toEqual([
      '辽宁省',
      '丹东市',
      '宽甸满族自治县',
      '灌水镇',
      '东岔村委会',
    ]);
  });

  it('lists children lazily, for the region picker', async () => {
    const client = await env().signIn('city', '2106');
    const res = await client.get('/api/regions/2106/children');
    expect(res.json().items.map((r: { name: string }) => r.name)).toEqual([
      '元宝区',
      '振兴区',
      '振安区',
      '宽甸满族自治县',
      '东港市',
      '凤城市',
    ]);
    expect(res.json().items.every((r: { hasChildren: boolean }) => r.hasChildren)).toBe(true);
  });

  it('finds regions by name within the jurisdiction only', async () => {
    const client = await env().signIn('county', '210624');
    const res = await client.get(`/api/regions?q=${encodeURIComponent('东岔')}`);
    expect(res.json().items.map((r: { code: string }) => r.code)).toEqual(['210624101201']);
    const outside = await client.get(`/api/regions?q=${encodeURIComponent('东港')}`);
    expect(outside.json().items).toEqual([]);
    const pct = await client.get(`/api/regions?q=${encodeURIComponent('%')}`);
    expect(pct.json().items).toEqual([]);
  });

  it('answers an unknown code with 404 and a bad code with 400', async () => {
    const client = await env().signIn('city', '2106');
    const unknown = await client.get('/api/regions/210624101999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toBe('区域不存在或不在您的辖区内');
    const bad = await client.get(`/api/regions/${encodeURIComponent("21'or'1")}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('区划代码格式不正确');
    const empty = await client.get('/api/regions?q=');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.field).toBe('q');
  });

  it('requires a signed-in user', async () => {
    const res = await env().app.inject({ method: 'GET', url: '/api/regions/21' });
    expect(res.statusCode).toBe(401);
  });
});
