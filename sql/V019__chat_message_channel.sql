-- The channel of a message, as a function: the gateway's direct-message route answers with the
-- channel the message went to, and reads it here rather than from chat.messages, so that it
-- needs only chat.* functions (which the PL/Proxy proxy also offers). Idempotent: safe to re-run.

/** The id of the channel that holds message p_message_id (deleted or not); NULL when there is none. */
CREATE OR REPLACE FUNCTION chat.message_channel_id(p_message_id bigint) RETURNS int
LANGUAGE sql STABLE AS $$
    SELECT m.channel_id FROM chat.messages m WHERE m.id = p_message_id
$$;
