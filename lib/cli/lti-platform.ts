// `npm run lti:platform -- <command>`: registers LMSs (LTI 1.3 platforms) with this tool from the
// command line (decision 017). Commands:
//   add --issuer URL --client-id ID --deployment-id ID --auth-url URL --token-url URL --jwks-url URL [--name TEXT]
//   list
//   remove --issuer URL [--client-id ID]
//   rotate-key                 a new signing key; the old one stays published for an hour
//   registration-link          a one-time LTI Dynamic Registration link to paste into an LMS
import { parseArgs } from 'node:util';

import { getDb } from '@/lib/server/db/client';
import { HttpError } from '@/lib/server/http';
import { rotateSigningKey } from '@/lib/server/lti/keys';
import { addPlatform, listPlatforms, removePlatform, toolUrls } from '@/lib/server/lti/platforms';
import { createRegistrationLink } from '@/lib/server/lti/registration';

const USAGE = `Usage: npm run lti:platform -- <command>
  add --issuer URL --client-id ID --deployment-id ID --auth-url URL --token-url URL --jwks-url URL [--name TEXT]
  list
  remove --issuer URL [--client-id ID]
  rotate-key
  registration-link`;

function printToolUrls(): void {
  const urls = toolUrls();
  console.log('Paste these into the LMS:');
  console.log(`  OIDC login / initiate login URL:   ${urls.login}`);
  console.log(`  Redirect URI / target link URI:   ${urls.redirect}`);
  console.log(`  Public keyset (JWKS) URL:          ${urls.jwks}`);
  console.log(`  Deep linking URL:                  ${urls.deepLinking}`);
  console.log(`  A lesson's launch URL:             ${urls.targetLink('chain-rule-computational-graphs')}`);
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      issuer: { type: 'string' },
      'client-id': { type: 'string' },
      'deployment-id': { type: 'string' },
      'auth-url': { type: 'string' },
      'token-url': { type: 'string' },
      'jwks-url': { type: 'string' },
      name: { type: 'string' },
    },
  });
  const db = await getDb();
  try {
    switch (command) {
      case 'add': {
        const platform = await addPlatform(db, {
          issuer: values.issuer,
          clientId: values['client-id'],
          deploymentId: values['deployment-id'],
          authUrl: values['auth-url'],
          tokenUrl: values['token-url'],
          jwksUrl: values['jwks-url'],
          ...(values.name !== undefined ? { name: values.name } : {}),
        });
        console.log(
          `✔ Registered ${platform.name} (${platform.issuer}, client ${platform.clientId}; deployments ${platform.deployments.join(', ')}).`,
        );
        printToolUrls();
        return 0;
      }
      case 'list': {
        const platforms = await listPlatforms(db);
        if (platforms.length === 0) console.log('No LMS is registered.');
        for (const platform of platforms) {
          console.log(
            `${platform.name}\n  issuer ${platform.issuer}\n  client id ${platform.clientId}\n  deployments ${platform.deployments.join(', ')}\n  auth ${platform.authUrl}\n  token ${platform.tokenUrl}\n  jwks ${platform.jwksUrl}`,
          );
        }
        printToolUrls();
        return 0;
      }
      case 'remove': {
        if (!values.issuer) {
          console.error('remove needs --issuer URL');
          return 2;
        }
        const count = await removePlatform(db, values.issuer, values['client-id']);
        console.log(
          count > 0
            ? `✔ Removed ${count} registration(s) of ${values.issuer}.`
            : `No registration of ${values.issuer} was found.`,
        );
        return count > 0 ? 0 : 1;
      }
      case 'rotate-key': {
        const { kid, retired } = await rotateSigningKey(db);
        console.log(`✔ New signing key ${kid}. ${retired.length} previous key(s) stay published for an hour.`);
        return 0;
      }
      case 'registration-link': {
        const link = await createRegistrationLink(db, null);
        console.log(
          `One-time LTI Dynamic Registration link (valid until ${link.expiresAt.toISOString()}):\n  ${link.url}`,
        );
        return 0;
      }
      default:
        console.error(USAGE);
        return 2;
    }
  } catch (error) {
    if (error instanceof HttpError) {
      console.error(`✖ ${error.issues?.join('\n  ') ?? error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
