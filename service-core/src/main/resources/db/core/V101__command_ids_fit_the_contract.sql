-- The contract allows a commandId of 256 characters and a domain name of 255 (events-schema Identifiers); the columns
-- held 200, so a valid command with a longer id failed at its claim and got no outcome at all.
ALTER TABLE processed_command ALTER COLUMN command_id TYPE VARCHAR(256);
ALTER TABLE processed_command ALTER COLUMN domain TYPE VARCHAR(255);
