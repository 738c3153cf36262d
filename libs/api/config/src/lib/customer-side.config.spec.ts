import { ConfigurationError, loadServiceKitConfig } from './load-config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadServiceKitConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
};

describe('customer-side configuration', () => {
  it('should default to always open, no limits, 72 h callbacks and the Service Kit brand', () => {
    const config = loadServiceKitConfig({});
    expect(config.openingHours).toBeNull();
    expect([config.maxQueueLength, config.maxEstimatedWaitMs]).toEqual([null, null]);
    expect(config.callbackRetentionHours).toBe(72);
    expect(config.feedbackCommentRetentionDays).toBe(30);
    expect(config.brand).toEqual({ name: 'Service Kit', color: null, logoUrl: null });
  });

  it('should read opening hours with day ranges, a zone and closed dates', () => {
    const config = loadServiceKitConfig({
      OPENING_HOURS: 'Mon-Fri 09:00-17:30, Sat 10:00-14:00; Europe/Berlin',
      CLOSED_DATES: '2026-12-24, 2026-12-25',
    });
    expect(config.openingHours?.zone).toBe('Europe/Berlin');
    expect(config.openingHours?.closedDates).toEqual(['2026-12-24', '2026-12-25']);
    expect(config.openingHours?.windows).toHaveLength(6);
    expect(config.openingHours?.windows[0]).toEqual({ weekday: 1, fromMinute: 540, toMinute: 1050 });
    expect(config.openingHours?.windows[5]).toEqual({ weekday: 6, fromMinute: 600, toMinute: 840 });
  });

  it.each([
    ['Mon-Fri 09:00-17:30', /OPENING_HOURS needs the hours, a ";" and a time zone/],
    ['Mon-Fri 09:00-17:30; Mars/Olympus', /OPENING_HOURS names the time zone "Mars\/Olympus"/],
    ['Mon-Fry 09:00-17:30; Europe/Berlin', /OPENING_HOURS has "Fry"/],
    ['Fri-Mon 09:00-17:30; Europe/Berlin', /backwards/],
    ['Mon 17:00-09:00; Europe/Berlin', /closes before it opens/],
    ['Mon 09:00-25:00; Europe/Berlin', /does not exist/],
    ['Mon 9-17; Europe/Berlin', /is not "<days> HH:MM-HH:MM"/],
  ])('should refuse OPENING_HOURS=%s with a sentence naming the variable', (value, message) => {
    const problems = problemsOf({ OPENING_HOURS: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('should refuse bad closed dates, and closed dates without opening hours', () => {
    expect(problemsOf({ OPENING_HOURS: 'Mon 09:00-17:00; UTC', CLOSED_DATES: '2026-02-30' })[0]).toMatch(/CLOSED_DATES has "2026-02-30"/);
    expect(problemsOf({ CLOSED_DATES: '2026-12-24' })[0]).toMatch(/CLOSED_DATES is set but OPENING_HOURS is not/);
  });

  it('should read the limits, 0 meaning none', () => {
    const config = loadServiceKitConfig({ MAX_QUEUE_LENGTH: '20', MAX_ESTIMATED_WAIT_MS: '0', CALLBACK_RETENTION_HOURS: '24' });
    expect([config.maxQueueLength, config.maxEstimatedWaitMs, config.callbackRetentionHours]).toEqual([20, null, 24]);
    expect(problemsOf({ CALLBACK_RETENTION_HOURS: '0' })[0]).toMatch(/CALLBACK_RETENTION_HOURS must be a whole number from 1 to 720/);
    expect(problemsOf({ FEEDBACK_COMMENT_RETENTION_DAYS: '31' })[0]).toMatch(/FEEDBACK_COMMENT_RETENTION_DAYS/);
  });

  it('should take a brand with a hex colour and a same-origin or https logo', () => {
    const config = loadServiceKitConfig({ BRAND_NAME: ' Acme Help ', BRAND_COLOR: '#0B5FFF', BRAND_LOGO_URL: '/assets/acme.svg' });
    expect(config.brand).toEqual({ name: 'Acme Help', color: '#0b5fff', logoUrl: '/assets/acme.svg' });
    expect(loadServiceKitConfig({ BRAND_LOGO_URL: 'https://cdn.example.com/l.png' }).brand.logoUrl).toBe('https://cdn.example.com/l.png');
  });

  it.each(['http://example.com/logo.png', '//evil.example/logo.png', 'javascript:alert(1)', 'data:image/png;base64,AA', 'logo.png'])(
    'should refuse BRAND_LOGO_URL=%s',
    (value) => {
      expect(problemsOf({ BRAND_LOGO_URL: value })[0]).toMatch(/BRAND_LOGO_URL must be a path on this site/);
    },
  );

  it('should refuse a colour that is not hex', () => {
    expect(problemsOf({ BRAND_COLOR: 'red' })[0]).toMatch(/BRAND_COLOR must be a hex colour/);
  });
});
