-- "Search my company" (rule S4) finds what the platform knows: the public
-- company data of members staff approved, written here on approval. The two
-- sample companies migration 0001 put in a production table were fixtures;
-- they go (tests write their own).
DELETE FROM company_directory WHERE business_number IN ('2208162517', '1048112340')
  AND business_number NOT IN (SELECT business_number FROM members
                              WHERE business_number IS NOT NULL AND status IN ('approved', 'active'));
INSERT OR IGNORE INTO company_directory (business_number, company_name, business_type, business_item, founded_year, homepage)
  SELECT business_number, company_name, json_extract(company_json, '$.business_type'),
         json_extract(company_json, '$.business_item'), json_extract(company_json, '$.founded_year'),
         json_extract(company_json, '$.homepage')
    FROM members
   WHERE status IN ('approved', 'active') AND business_number IS NOT NULL AND company_name IS NOT NULL;
