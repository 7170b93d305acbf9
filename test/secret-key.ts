/** The secret key every test database is seeded and served with (never a real installation's). */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7);
