import { runSubgraph } from '@shop/kernel';
import { resolvers } from './resolvers';
import { userModel } from './data/user-model';
import { preferencesLoader, userCache } from './data/user-cache';
import { preferences } from './domain/preferences';
import { refreshTokenModel } from './data/session-model';
import { signingKeyModel } from './data/signing-key-model';
import { accounts } from './domain/accounts';
import { loginGuard, signUpGuard } from './data/login-guard';
import { signingKeys } from './domain/signing-keys';

runSubgraph('users', async ({ config, logger, models, redis, outbox, every }) => {
  const { users, refreshTokens, keyStore } = await models((db) => ({
    users: userModel(db),
    refreshTokens: refreshTokenModel(db),
    keyStore: signingKeyModel(db),
  }));
  const keys = signingKeys(keyStore, { rotateAfterDays: config.signingKeyRotateDays, tokenTtlSeconds: config.accessTokenTtlSeconds, secret: config.signingKeySecret });
  // Seals keys stored in plain PEM by earlier versions, then makes a key if one is needed.
  const made = await keys.ensureCurrent();
  if (made === 'secret changed') logger.warn('the newest signing key was sealed with another secret (SIGNING_KEY_SECRET / SERVICE_TOKEN changed): made a new one');
  // Checked hourly too, so a long-running replica rotates on schedule.
  every(3600_000, 'signing key rotation', () => keys.ensureCurrent());
  const relay = outbox(users);
  const service = accounts({
    config,
    users,
    refreshTokens,
    keys,
    guard: loginGuard(redis(), config.redisPrefix),
    signUps: signUpGuard(redis(), config.redisPrefix),
    relay,
  });
  every(3600_000, 'expired sessions purge', () => service.purgeExpiredSessions());
  const generated = await service.ensureAdmin();
  // Shown once, on the console only (not in the JSON logs, which may be shipped elsewhere).
  if (generated) process.stderr.write(`\n  admin account created: ${config.adminEmail} / ${generated}\n  (shown once; set ADMIN_PASSWORD to choose it)\n\n`);
  const userById = userCache(users);
  const userPreferences = preferences(users, relay);
  return {
    resolvers,
    context: (auth) => ({ ...auth, accounts: service, userById, preferences: userPreferences, preferencesOf: preferencesLoader(users) }),
    routes: (app) =>
      app.get('/.well-known/jwks.json', async (_req, res) => {
        res.set('cache-control', 'public, max-age=300').json(await keys.jwks());
      }),
  };
});
