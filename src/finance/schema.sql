-- The finance ledger is append-only: a correction is a new entry, never an edit.
CREATE FUNCTION finance_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER finance_entries_append_only BEFORE UPDATE OR DELETE ON finance_entries
  FOR EACH ROW EXECUTE FUNCTION finance_append_only();
--> statement-breakpoint
CREATE TRIGGER finance_movements_append_only BEFORE UPDATE OR DELETE ON finance_movements
  FOR EACH ROW EXECUTE FUNCTION finance_append_only();
--> statement-breakpoint
CREATE TRIGGER receivables_append_only BEFORE UPDATE OR DELETE ON receivables
  FOR EACH ROW EXECUTE FUNCTION finance_append_only();
--> statement-breakpoint
CREATE TRIGGER refunds_append_only BEFORE UPDATE OR DELETE ON refunds
  FOR EACH ROW EXECUTE FUNCTION finance_append_only();
--> statement-breakpoint
-- At commit, every entry that received movements balances in each company: no path creates money.
CREATE FUNCTION finance_entry_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  off record;
BEGIN
  SELECT company_id, sum(amount) AS total INTO off FROM finance_movements
    WHERE entry_id = NEW.entry_id GROUP BY company_id HAVING sum(amount) <> 0 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'finance entry % does not balance in company % (%)', NEW.entry_id, off.company_id, off.total
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER finance_movements_balance AFTER INSERT ON finance_movements
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finance_entry_balances();
