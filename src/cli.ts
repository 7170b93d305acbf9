import { seedDemo } from './demo/seed.ts';
import { loadConfig } from './platform/config.ts';
import { openDatabase } from './platform/db/index.ts';
import { loadSecretKey } from './platform/secret-key.ts';

const usage = `usage: npm run migrate            apply the database migrations
       tsx src/cli.ts seed-demo     seed the demo network on an empty database
Flags: --data-dir DIR (or OMNIHUB_DATA_DIR); DATABASE_URL selects a PostgreSQL server.`;

const [command, ...rest] = process.argv.slice(2);
if (command !== 'migrate' && command !== 'seed-demo') {
  console.error(usage);
  process.exit(2);
}
const config = loadConfig(rest, process.env);
const database = await openDatabase(config);
try {
  await database.migrate();
  console.log(`migrations applied on ${database.location}`);
  if (command === 'seed-demo') {
    const { created } = await seedDemo(database.db, {
      secretKey: loadSecretKey(config.dataDir, process.env),
    });
    console.log(created ? 'demo network seeded' : 'demo network already present');
  }
} finally {
  await database.close();
}
