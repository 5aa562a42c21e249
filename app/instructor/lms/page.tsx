import type { Metadata } from 'next';
import Link from 'next/link';

import styles from '@/app/_components/instructor/instructor.module.css';
import { AddPlatformForm, RegistrationLinkForm } from '@/app/_components/instructor/LmsForms';
import { withInstructor } from '@/lib/server/instructor/next';
import { myLmsConnections } from '@/lib/server/lti/instructor';

import { addPlatformAction, registrationLinkAction, removePlatformAction } from './actions';

export const metadata: Metadata = { title: 'LMS connections' };

// Long URLs wrap anywhere rather than widen a phone screen.
const URL_STYLE = { marginLeft: 0, display: 'inline-block', overflowWrap: 'anywhere', maxWidth: '100%' } as const;
export const dynamic = 'force-dynamic';

export default async function LmsConnectionsPage() {
  const { platforms, urls } = await withInstructor((db, headers) => myLmsConnections(db, headers), '/instructor/lms');
  return (
    <div className={styles.page}>
      <p>
        <Link href="/instructor">← Your classes</Link>
      </p>
      <h1>LMS connections</h1>
      <p>
        Connect Moodle, Canvas or another LMS that supports LTI 1.3: learners then open lessons from their course page,
        and their knowledge-check scores go to its gradebook. Each LMS course becomes a class here on its first launch.
      </p>

      <h2>Paste these into your LMS</h2>
      <dl>
        <dt>Tool URL, OIDC login / initiate login URL</dt>
        <dd className={styles.code} style={URL_STYLE}>
          {urls.login}
        </dd>
        <dt>Redirection URI, target link URI, deep linking URL</dt>
        <dd className={styles.code} style={URL_STYLE}>
          {urls.redirect}
        </dd>
        <dt>Public keyset (JWKS) URL</dt>
        <dd className={styles.code} style={URL_STYLE}>
          {urls.jwks}
        </dd>
        <dt>A lesson&apos;s launch URL</dt>
        <dd className={styles.code} style={URL_STYLE}>
          {urls.lesson}
        </dd>
      </dl>

      <h2>Register in one step</h2>
      <p className={styles.muted}>
        Moodle 4.x and Canvas can register the tool themselves (LTI Dynamic Registration): make a one-time link and give
        it to the LMS administrator.
      </p>
      <RegistrationLinkForm action={registrationLinkAction} />

      <h2>Your connections</h2>
      {platforms.length === 0 ? (
        <p className={styles.muted}>No LMS is connected yet.</p>
      ) : (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <caption>LMSs you connected</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Issuer</th>
                <th scope="col">Client ID</th>
                <th scope="col">Deployments</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {platforms.map((platform) => (
                <tr key={platform.id}>
                  <th scope="row">{platform.name}</th>
                  <td>{platform.issuer}</td>
                  <td>{platform.clientId}</td>
                  <td>{platform.deployments.join(', ')}</td>
                  <td>
                    <form action={removePlatformAction}>
                      <input type="hidden" name="platformId" value={platform.id} />
                      <button type="submit" className={styles.secondary} aria-label={`Remove ${platform.name}`}>
                        Remove
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Connect an LMS by hand</h2>
      <p className={styles.muted}>Copy these values from the LMS after adding the tool there with the URLs above.</p>
      <AddPlatformForm action={addPlatformAction} />
    </div>
  );
}
