-- zgres core: the one emit function every trigger calls, the generic row-change trigger, and the
-- channel registry the bridge discovers its LISTEN channels from. Idempotent: safe to re-run.

CREATE SCHEMA IF NOT EXISTS zgres;

-- Channels that the bridge discovers (rather than being told by name), e.g. chat_message_<id>.
-- listened_at is set by a bridge once it LISTENs on the channel; until then zgres.emit relays
-- the channel's payloads through zgres_relay so that nothing emitted in the gap is lost.
CREATE TABLE IF NOT EXISTS zgres.channel_registry (
    channel       text PRIMARY KEY
                  CHECK (channel <> '' AND octet_length(channel) <= 63 AND position(E'\n' IN channel) = 0),
    registered_at timestamptz NOT NULL DEFAULT now(),
    listened_at   timestamptz
);

-- Payloads too large for one NOTIFY (8000 bytes): the bridge reads the row, publishes it and
-- deletes it once Kafka acknowledged the record.
CREATE TABLE IF NOT EXISTS zgres.spill (
    id         bigserial PRIMARY KEY,
    channel    text NOT NULL,
    payload    text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

/**
 * Checks that a channel name is one NOTIFY and LISTEN accept: not empty, at most 63 bytes (longer
 * identifiers are truncated by PostgreSQL, which would silently merge channels), no newline.
 */
CREATE OR REPLACE FUNCTION zgres.check_channel(p_channel text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_channel IS NULL OR p_channel = '' THEN
        RAISE EXCEPTION 'zgres: channel name must not be empty'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF octet_length(p_channel) > 63 THEN
        RAISE EXCEPTION 'zgres: channel name must be at most 63 bytes (was % bytes: %)',
            octet_length(p_channel), left(p_channel, 80)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF position(E'\n' IN p_channel) > 0 THEN
        RAISE EXCEPTION 'zgres: channel name must not contain a newline (was %)', p_channel
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END;
$$;

/**
 * Publishes p_payload on p_channel. The transport is the custom setting zgres.transport:
 *   notify (default) - pg_notify; at-most-once, delivered at commit. A payload that does not fit
 *                      in one notification (8000 bytes) is spilled to zgres.spill and a
 *                      reference goes out on zgres_relay instead; it never fails the writer.
 *   wal              - a transactional logical decoding message (prefix 'zgres:' || channel),
 *                      read by the bridge from a replication slot; no size limit.
 * Set it the PostgreSQL way: ALTER DATABASE d SET zgres.transport = 'wal', per role, or SET.
 */
CREATE OR REPLACE FUNCTION zgres.emit(p_channel text, p_payload text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_transport text := coalesce(nullif(current_setting('zgres.transport', true), ''), 'notify');
    v_unlistened boolean;
    v_spill_id bigint;
BEGIN
    -- The common case costs three comparisons; only a bad name pays for the detailed message.
    IF p_channel IS NULL OR octet_length(p_channel) NOT BETWEEN 1 AND 63 OR strpos(p_channel, E'\n') > 0 THEN
        PERFORM zgres.check_channel(p_channel);
    END IF;
    IF p_payload IS NULL THEN
        RAISE EXCEPTION 'zgres.emit: payload for channel % must not be NULL', p_channel
            USING ERRCODE = 'null_value_not_allowed';
    END IF;

    IF v_transport = 'wal' THEN
        PERFORM pg_logical_emit_message(true, 'zgres:' || p_channel, p_payload);
        RETURN;
    ELSIF v_transport <> 'notify' THEN
        RAISE EXCEPTION 'zgres.transport must be notify or wal (was %)', v_transport
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    -- A registered channel that no bridge LISTENs on yet (created moments ago, maybe in this very
    -- transaction) goes through the relay channel, which the bridge always listens on.
    SELECT listened_at IS NULL INTO v_unlistened
      FROM zgres.channel_registry WHERE channel = p_channel;

    IF octet_length(p_payload) >= 8000
       OR (v_unlistened AND octet_length(p_payload) + octet_length(p_channel) + 3 >= 8000) THEN
        INSERT INTO zgres.spill (channel, payload) VALUES (p_channel, p_payload)
            RETURNING id INTO v_spill_id;
        PERFORM pg_notify('zgres_relay', 's:' || v_spill_id);
    ELSIF v_unlistened THEN
        PERFORM pg_notify('zgres_relay', 'd:' || p_channel || E'\n' || p_payload);
    ELSE
        PERFORM pg_notify(p_channel, p_payload);
    END IF;
END;
$$;

/**
 * Adds a channel for bridges to discover and tells running bridges at once (on zgres_control),
 * in the same transaction as the caller's, so a rolled-back creation announces nothing.
 */
CREATE OR REPLACE FUNCTION zgres.register_channel(p_channel text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM zgres.check_channel(p_channel);
    INSERT INTO zgres.channel_registry (channel) VALUES (p_channel) ON CONFLICT DO NOTHING;
    IF FOUND THEN
        PERFORM pg_notify('zgres_control', '+' || p_channel);
    END IF;
END;
$$;

/** Removes a discovered channel; running bridges UNLISTEN it. */
CREATE OR REPLACE FUNCTION zgres.unregister_channel(p_channel text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM zgres.channel_registry WHERE channel = p_channel;
    IF FOUND THEN
        PERFORM pg_notify('zgres_control', '-' || p_channel);
    END IF;
END;
$$;

/** Called by a bridge once it LISTENs on these channels: emit stops relaying them. */
CREATE OR REPLACE FUNCTION zgres.mark_listened(p_channels text[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE zgres.channel_registry SET listened_at = now()
     WHERE channel = ANY (p_channels) AND listened_at IS NULL;
$$;

/**
 * The generic row-change trigger. Arguments (TG_ARGV) are the column names to publish; with none,
 * the whole row. An argument 'channel=<name>' picks the channel (default db_notifications).
 * Payload: {"timestamp", "operation", "schema", "table", "data": {column: value}} built with
 * JSON functions, so quotes, backslashes, newlines, unicode and NULLs always give valid JSON.
 */
CREATE OR REPLACE FUNCTION zgres.notify_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_row jsonb;
    v_data jsonb := '{}'::jsonb;
    v_channel text := 'db_notifications';
    v_arg text;
    v_columns boolean := false;
BEGIN
    IF TG_OP = 'DELETE' THEN
        v_row := to_jsonb(OLD);
    ELSIF TG_OP IN ('INSERT', 'UPDATE') THEN
        v_row := to_jsonb(NEW);
    ELSE
        RAISE EXCEPTION 'zgres.notify_trigger: unsupported operation % on %.%',
            TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME;
    END IF;

    IF TG_NARGS > 0 THEN
        FOREACH v_arg IN ARRAY TG_ARGV LOOP
            IF left(v_arg, 8) = 'channel=' THEN
                v_channel := substr(v_arg, 9);
            ELSIF v_row ? v_arg THEN
                v_data := v_data || jsonb_build_object(v_arg, v_row -> v_arg);
                v_columns := true;
            ELSE
                RAISE EXCEPTION 'zgres.notify_trigger on %.%: column "%" does not exist',
                    TG_TABLE_SCHEMA, TG_TABLE_NAME, v_arg
                    USING ERRCODE = 'undefined_column',
                          HINT = 'Trigger arguments are column names of the table, or channel=<name>.';
            END IF;
        END LOOP;
    END IF;
    IF NOT v_columns THEN
        v_data := v_row;
    END IF;

    PERFORM zgres.emit(v_channel, json_build_object(
        'timestamp', now(),
        'operation', TG_OP,
        'schema', TG_TABLE_SCHEMA,
        'table', TG_TABLE_NAME,
        'data', v_data)::text);
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

/**
 * Puts the generic trigger on a table, checking the columns first so that a typo fails here
 * rather than on the first write. Re-running replaces the trigger.
 */
CREATE OR REPLACE FUNCTION zgres.watch_table(
    p_table regclass,
    p_columns text[] DEFAULT NULL,
    p_channel text DEFAULT 'db_notifications'
) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_missing text;
    v_args text;
BEGIN
    PERFORM zgres.check_channel(p_channel);
    SELECT string_agg(format('%I', c), ', ') INTO v_missing
      FROM unnest(coalesce(p_columns, ARRAY[]::text[])) AS c
     WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
                        WHERE a.attrelid = p_table AND a.attname = c
                          AND a.attnum > 0 AND NOT a.attisdropped);
    IF v_missing IS NOT NULL THEN
        RAISE EXCEPTION 'zgres.watch_table: % has no column %', p_table, v_missing
            USING ERRCODE = 'undefined_column';
    END IF;
    SELECT string_agg(quote_literal(a), ', ') INTO v_args
      FROM unnest(array_prepend('channel=' || p_channel, coalesce(p_columns, ARRAY[]::text[]))) AS a;
    EXECUTE format('DROP TRIGGER IF EXISTS zgres_watch ON %s', p_table);
    EXECUTE format('CREATE TRIGGER zgres_watch AFTER INSERT OR UPDATE OR DELETE ON %s '
                   'FOR EACH ROW EXECUTE FUNCTION zgres.notify_trigger(%s)', p_table, v_args);
END;
$$;
