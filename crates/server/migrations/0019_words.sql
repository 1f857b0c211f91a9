-- Words stored for a person to read, also as a message key with its values (JSON of `vinano_api::Said`), so
-- that the app says them in the person's language; the English beside them stays for programs and for
-- rows written before.
ALTER TABLE messages ADD COLUMN text_said TEXT;
ALTER TABLE jobs ADD COLUMN error_said TEXT;
ALTER TABLE data_requests ADD COLUMN detail_said TEXT;
