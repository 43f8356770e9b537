import { DANDONG_2023, prefilledAnswers } from '@tanfang/domain';
import { describe, expect, it } from 'vitest';
import { draftHasContent, draftKey, draftTimeWords, sameAnswers } from './draftRules';

const untouched = {
  method: null,
  answers: prefilledAnswers(DANDONG_2023),
  emergency: false,
  emergencyNote: '',
  photos: [],
  signatures: [],
};

describe('drafts of visits', () => {
  it('keeps one draft per account and elder', () => {
    expect(draftKey('u1', 'e1')).toBe('u1|e1');
    expect(draftKey('u2', 'e1')).not.toBe(draftKey('u1', 'e1'));
  });

  it('keeps no draft of a form only opened and left', () => {
    expect(draftHasContent(DANDONG_2023, untouched)).toBe(false);
  });

  it('keeps a draft once the visitor picks a method, changes an answer, takes a photo or raises an emergency', () => {
    const changed = {
      ...untouched.answers,
      mood: { value: 'worse' },
    };
    const photo = { id: 'p1', blob: new Blob(['x']) };
    expect(draftHasContent(DANDONG_2023, { ...untouched, method: 'in_person' })).toBe(true);
    expect(draftHasContent(DANDONG_2023, { ...untouched, answers: changed })).toBe(true);
    expect(draftHasContent(DANDONG_2023, { ...untouched, photos: [photo] })).toBe(true);
    expect(draftHasContent(DANDONG_2023, { ...untouched, emergency: true })).toBe(true);
    expect(draftHasContent(DANDONG_2023, { ...untouched, emergencyNote: '摔倒' })).toBe(true);
  });

  it('counts a text added to a prefilled answer as a change, and key order as none', () => {
    const a = { illness: { value: 'serious', text: '脑梗' } };
    expect(sameAnswers(a, { illness: { value: 'serious' } })).toBe(false);
    expect(sameAnswers(a, { illness: { text: '脑梗', value: 'serious' } })).toBe(true);
    expect(sameAnswers({}, { need: { text: '送米' } })).toBe(false);
  });

  it('says when a draft was saved in China time, with the date when it was not today', () => {
    const now = new Date('2026-11-22T06:00:00Z'); // 14:00 in China
    expect(draftTimeWords('2026-11-22T05:20:00Z', now)).toBe('13:20');
    expect(draftTimeWords('2026-11-21T01:05:00Z', now)).toBe('11月21日 09:05');
    // 23:30 UTC on the 21st is already the 22nd in China.
    expect(draftTimeWords('2026-11-21T23:30:00Z', now)).toBe('07:30');
  });
});
