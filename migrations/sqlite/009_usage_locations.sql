-- The Vertex AI location that served a call (NULL on the Gemini API and other providers), so /usage can show how
-- calls spread over the locations.
ALTER TABLE usage_records ADD COLUMN location TEXT;
