// azd postdeploy hook: gives each HTTP function the named key of its role (infra/functionRoles.json), one value per
// role, so a reader key opens the read functions and nothing else, an operator key the run and backfill functions.
// Function keys cannot be declared in Bicep here: provisioning runs before the functions exist (azd deploys them
// after), and a Microsoft.Web/sites/functions/keys resource on a missing function fails. Idempotent: a role's
// existing value is kept and copied to its functions that lack it; a new value is made only for a role that has none.
// Key values never reach stdout or stderr.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

const roles = JSON.parse(readFileSync(new URL('../functionRoles.json', import.meta.url), 'utf8'));
const group = process.env.AZURE_RESOURCE_GROUP;
const app = process.env.AZURE_FUNCTION_APP_NAME;
if (!group || !app) {
  console.error(
    'setFunctionKeys: AZURE_RESOURCE_GROUP and AZURE_FUNCTION_APP_NAME must be set (azd sets them from the deployment outputs)',
  );
  process.exit(2);
}

/** Runs az with a JSON answer; a failure stops the hook naming the command (never its key value). */
function az(args, what) {
  const run = spawnSync('az', [...args, '-g', group, '-n', app, '-o', 'json'], { encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    console.error(`setFunctionKeys: ${what} failed: ${(run.error?.message ?? run.stderr).split('\n')[0]}`);
    process.exit(1);
  }
  return run.stdout.trim() === '' ? {} : JSON.parse(run.stdout);
}

for (const [role, functions] of Object.entries(roles)) {
  const keys = new Map(
    functions.map((name) => [
      name,
      az(['functionapp', 'function', 'keys', 'list', '--function-name', name], `listing the keys of ${name}`),
    ]),
  );
  const value =
    functions.map((name) => keys.get(name)[role]).find((found) => typeof found === 'string' && found !== '') ??
    randomBytes(32).toString('base64url');
  for (const name of functions) {
    if (keys.get(name)[role] === value) continue;
    az(
      ['functionapp', 'function', 'keys', 'set', '--function-name', name, '--key-name', role, '--key-value', value],
      `setting the ${role} key of ${name}`,
    );
    console.log(`setFunctionKeys: ${name} has the ${role} key`);
  }
}
