-- The caches' invalidation (src/platform/cache/index.ts): every statement that changes a cached table
-- notifies omnihub_cache with the table's name, delivered to every listening process at its commit.
-- Statement-level, so a catalogue import of 100,000 products is one notification, not 100,000. Any
-- statement, even one that changes no column a cache holds: the process that sends it waits for its echo.
CREATE OR REPLACE FUNCTION omnihub_cache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('omnihub_cache', TG_TABLE_NAME);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER api_clients_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_clients
  FOR EACH STATEMENT EXECUTE FUNCTION omnihub_cache_notify();
--> statement-breakpoint
CREATE TRIGGER api_client_keys_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_client_keys
  FOR EACH STATEMENT EXECUTE FUNCTION omnihub_cache_notify();
--> statement-breakpoint
CREATE TRIGGER delivery_experiences_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON delivery_experiences
  FOR EACH STATEMENT EXECUTE FUNCTION omnihub_cache_notify();
--> statement-breakpoint
CREATE TRIGGER delivery_experience_stores_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON delivery_experience_stores
  FOR EACH STATEMENT EXECUTE FUNCTION omnihub_cache_notify();
--> statement-breakpoint
CREATE TRIGGER nodes_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON nodes
  FOR EACH STATEMENT EXECUTE FUNCTION omnihub_cache_notify();
--> statement-breakpoint
CREATE TRIGGER parameter_values_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON parameter_values
  FOR EACH STATEMENT EXECUTE FUNCTION omnihub_cache_notify();
--> statement-breakpoint
CREATE TRIGGER products_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION omnihub_cache_notify();
