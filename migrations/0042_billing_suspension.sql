-- Why a member is suspended (rule V6): by staff, or for an invoice unpaid
-- 30 KST days after its due day (rule B2), which a payment lifts at once.
ALTER TABLE members ADD COLUMN suspended_for TEXT CHECK (suspended_for IN ('staff', 'unpaid'));
CREATE INDEX invoices_overdue ON invoices(due_day, member_id) WHERE paid_at IS NULL;
UPDATE members SET suspended_for = 'staff' WHERE suspended_at IS NOT NULL;
