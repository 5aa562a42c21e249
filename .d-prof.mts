import { createDb } from '@/lib/server/db/client';
import { questionAnalysis } from '@/lib/server/instructor/analysis';
import { signIn } from '@/lib/server/auth/accounts';
const db = await createDb(`file:${process.env.DB}`);
const s = await signIn(db, new Headers(), { email: 'bench@example.org', password: 'bench password 123' });
const headers = new Headers({ cookie: s.setCookies.map((c) => c.split(';')[0]).join('; ') });
const cohort = await db.cohort.findFirstOrThrow();
const orig = db.$queryRaw.bind(db);
(db as any).$queryRaw = async (...args: any[]) => { const t = performance.now(); const r = await (orig as any)(...args); console.log(String(args[0]?.[0] ?? '').trim().slice(0, 60).replace(/\s+/g,' '), (performance.now() - t).toFixed(0), 'ms', r.length, 'rows'); return r; };
for (let k = 0; k < 3; k++) { const t = performance.now(); await questionAnalysis(db, headers, cohort.id); console.log('total', (performance.now() - t).toFixed(0)); }
