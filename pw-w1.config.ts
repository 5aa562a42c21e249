import base from './playwright.config';
export default { ...base, testDir: 'tests/e2e', webServer: undefined, use: { ...base.use, baseURL: process.env.BASE ?? 'http://localhost:3111' }, projects: base.projects };
