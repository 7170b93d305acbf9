-- The store queue's status counters (schema.ts, order_status_counts): every change of the orders per store,
-- São Paulo day and status reaches order_status_count_changes in the same transaction, appended (+n/−n), so
-- the counters can never miss one and no two writers wait for each other on a counter row.
-- An insert of many orders (a bulk load) appends one row per store, day and status, not one per order.
CREATE FUNCTION order_status_counted_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO order_status_count_changes (store_id, day, status, orders)
    SELECT store_id, (placed_at AT TIME ZONE 'America/Sao_Paulo')::date, status, count(*)::int
    FROM new_orders GROUP BY 1, 2, 3;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER order_status_counted_ins AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION order_status_counted_ins();
--> statement-breakpoint
CREATE FUNCTION order_status_counted_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO order_status_count_changes (store_id, day, status, orders)
    SELECT store_id, (placed_at AT TIME ZONE 'America/Sao_Paulo')::date, status, -count(*)::int
    FROM old_orders GROUP BY 1, 2, 3;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER order_status_counted_del AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_orders FOR EACH STATEMENT EXECUTE FUNCTION order_status_counted_del();
--> statement-breakpoint
-- A status change (the hot path: one order at a time, through changeStatus) moves one order between two rows.
CREATE FUNCTION order_status_counted_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO order_status_count_changes (store_id, day, status, orders) VALUES
    (OLD.store_id, (OLD.placed_at AT TIME ZONE 'America/Sao_Paulo')::date, OLD.status, -1),
    (NEW.store_id, (NEW.placed_at AT TIME ZONE 'America/Sao_Paulo')::date, NEW.status, 1);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER order_status_counted_upd AFTER UPDATE OF status, store_id, placed_at ON orders FOR EACH ROW
  WHEN ((OLD.status, OLD.store_id, OLD.placed_at) IS DISTINCT FROM (NEW.status, NEW.store_id, NEW.placed_at))
  EXECUTE FUNCTION order_status_counted_upd();
