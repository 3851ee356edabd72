import { pickLanguage } from './language';

describe('pickLanguage', () => {
  it.each([
    [undefined, 'fa'],
    ['', 'fa'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['fa-IR,fa;q=0.9,en;q=0.8', 'fa'],
    ['fa;q=0.5,en;q=0.9', 'en'],
    ['de,en;q=0.5', 'en'],
    ['de,fr', 'fa'],
    ['en;q=0', 'fa'],
    [['en-GB'], 'en'],
  ])('%j → %s', (header, lang) => {
    expect(pickLanguage(header as string | string[] | undefined)).toBe(lang);
  });
});
