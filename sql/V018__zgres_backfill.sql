-- Backfill: re-emit the current rows of a watched table (operation SNAPSHOT), or the history of a
-- chat channel (message_snapshot events), through zgres.emit, so the transport setting applies and
-- the rows take the same channels and routes as live changes. Driven by bin/zgres backfill, which
-- reads every batch in one exported REPEATABLE READ snapshot. Idempotent: safe to re-run.
--
-- A consumer tells snapshot rows from changes by "operation" (SNAPSHOT, vs INSERT/UPDATE/DELETE)
-- or "event" (message_snapshot). Each run is framed by markers committed before its snapshot is
-- taken (SNAPSHOT_START / snapshot_started) and after its last batch (SNAPSHOT_END /
-- snapshot_finished). A snapshot row is the row as it was when the snapshot was taken; a change
-- that follows the start marker in the stream is at least as new, so a consumer that has seen a
-- change of a row since the start marker skips that row's snapshot (see the README).

-- One row per backfill run; batches append a row each in the transaction that emits them, so the
-- last batch row of a run is exactly how far its committed emits reached.
CREATE TABLE IF NOT EXISTS zgres.backfill_runs (
    id          bigserial PRIMARY KEY,
    source      text NOT NULL,
    table_name  regclass,
    channel_id  int,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    CONSTRAINT backfill_runs_one_source CHECK ((table_name IS NULL) <> (channel_id IS NULL))
);
CREATE INDEX IF NOT EXISTS backfill_runs_source_idx ON zgres.backfill_runs (source, id);

CREATE TABLE IF NOT EXISTS zgres.backfill_batches (
    id           bigserial PRIMARY KEY,
    run_id       bigint NOT NULL REFERENCES zgres.backfill_runs (id) ON DELETE CASCADE,
    last_key     text[] NOT NULL,
    emitted      int NOT NULL,
    committed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS backfill_batches_run_idx ON zgres.backfill_batches (run_id, id);

/**
 * The routes of a table's generic triggers (zgres.notify_trigger, as zgres.watch_table puts it,
 * or by hand): each enabled row trigger that fires on INSERT, with its channel and its columns
 * (empty: the whole row), read from the trigger's arguments in the catalog.
 */
CREATE OR REPLACE FUNCTION zgres.watch_routes(p_table regclass)
RETURNS TABLE (trigger_name text, channel text, columns text[])
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_trigger record;
    v_rest bytea;
    v_end int;
    v_arg text;
BEGIN
    FOR v_trigger IN
        SELECT t.tgname::text AS name, t.tgargs, t.tgnargs
          FROM pg_trigger t
         WHERE t.tgrelid = p_table
           AND t.tgfoid = 'zgres.notify_trigger()'::regprocedure
           AND NOT t.tgisinternal
           AND t.tgenabled <> 'D'
           AND (t.tgtype & 1) = 1   -- FOR EACH ROW
           AND (t.tgtype & 4) = 4   -- ON INSERT
         ORDER BY t.tgname
    LOOP
        trigger_name := v_trigger.name;
        channel := 'db_notifications';
        columns := ARRAY[]::text[];
        v_rest := v_trigger.tgargs;
        FOR i IN 1 .. v_trigger.tgnargs LOOP
            v_end := position('\x00'::bytea IN v_rest);
            v_arg := convert_from(substring(v_rest FROM 1 FOR v_end - 1),
                                  current_setting('server_encoding'));
            v_rest := substring(v_rest FROM v_end + 1);
            IF left(v_arg, 8) = 'channel=' THEN
                channel := substr(v_arg, 9);
            ELSE
                columns := columns || v_arg;
            END IF;
        END LOOP;
        RETURN NEXT;
    END LOOP;
END;
$$;

/** The primary key columns of a table, in key order, with their types. */
CREATE OR REPLACE FUNCTION zgres.primary_key(p_table regclass)
RETURNS TABLE (key_position int, column_name text, column_type text)
LANGUAGE sql STABLE AS $$
    SELECT k.ord::int, a.attname::text, format_type(a.atttypid, a.atttypmod)
      FROM pg_index i
     CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
     WHERE i.indrelid = p_table AND i.indisprimary
     ORDER BY k.ord;
$$;

/**
 * Starts a backfill run of a watched table (p_table) or of a chat channel's messages
 * (p_channel_id): checks the source, emits the start marker on each of its channels (commit before
 * taking the snapshot) and returns the run's id, the number of key columns, the source's name and,
 * when the source's previous run was interrupted, the key that run's committed batches reached. A table that no
 * generic trigger watches, or that has no primary key, is refused with a message naming it.
 */
CREATE OR REPLACE FUNCTION zgres.backfill_begin(p_table regclass, p_channel_id int,
                                                OUT run_id bigint, OUT key_columns int,
                                                OUT source text, OUT interrupted_at text[])
LANGUAGE plpgsql AS $$
DECLARE
    v_route record;
BEGIN
    IF (p_table IS NULL) = (p_channel_id IS NULL) THEN
        RAISE EXCEPTION 'zgres.backfill_begin: give a table or a channel id, not both'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_channel_id IS NOT NULL THEN
        IF NOT EXISTS (SELECT 1 FROM chat.channels WHERE id = p_channel_id) THEN
            RAISE EXCEPTION 'no chat channel with id %', p_channel_id
                USING ERRCODE = 'no_data_found';
        END IF;
        source := 'chat.messages channel ' || p_channel_id;
        key_columns := 1;
        interrupted_at := zgres.backfill_interrupted_at(source);
        INSERT INTO zgres.backfill_runs (source, channel_id) VALUES (source, p_channel_id)
            RETURNING id INTO run_id;
        PERFORM zgres.emit(chat.message_channel(p_channel_id), jsonb_build_object(
            'event', 'snapshot_started', 'channel_id', p_channel_id, 'run', run_id)::text);
        RETURN;
    END IF;

    SELECT count(*) INTO key_columns FROM zgres.primary_key(p_table);
    IF key_columns = 0 THEN
        RAISE EXCEPTION '% has no primary key: backfill reads a table in primary-key order', p_table
            USING ERRCODE = 'invalid_table_definition';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM zgres.watch_routes(p_table)) THEN
        RAISE EXCEPTION '% is not watched: call zgres.watch_table(''%'') first', p_table, p_table
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    SELECT format('%I.%I', n.nspname, c.relname) INTO source
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = p_table;
    interrupted_at := zgres.backfill_interrupted_at(source);
    INSERT INTO zgres.backfill_runs (source, table_name) VALUES (source, p_table)
        RETURNING id INTO run_id;
    FOR v_route IN SELECT * FROM zgres.watch_routes(p_table) LOOP
        PERFORM zgres.emit(v_route.channel, zgres.snapshot_marker(p_table, 'SNAPSHOT_START', run_id));
    END LOOP;
END;
$$;

/** A start or end marker of a table's backfill run, shaped like a change event. */
CREATE OR REPLACE FUNCTION zgres.snapshot_marker(p_table regclass, p_operation text, p_run bigint)
RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'timestamp', now(),
        'operation', p_operation,
        'schema', n.nspname,
        'table', c.relname,
        'data', json_build_object('run', p_run))::text
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = p_table;
$$;

/**
 * Emits the next batch of a run: up to p_limit rows with a key after p_after (NULL: from the
 * first), in key order, as of the snapshot of the calling transaction (bin/zgres backfill imports
 * one exported snapshot into every batch). Rows whose key is at most p_repeat_upto (the key an
 * interrupted run had reached) are counted as emitted again. Appends the batch to
 * zgres.backfill_batches in the same transaction, so progress and emits commit together.
 */
CREATE OR REPLACE FUNCTION zgres.backfill_batch(p_run bigint, p_after text[], p_limit int,
                                                p_repeat_upto text[], p_snapshot_at timestamptz,
                                                OUT emitted int, OUT repeated int,
                                                OUT last_key text[])
LANGUAGE plpgsql AS $$
DECLARE
    v_run zgres.backfill_runs;
BEGIN
    SELECT * INTO STRICT v_run FROM zgres.backfill_runs WHERE id = p_run;
    IF v_run.table_name IS NOT NULL THEN
        SELECT b.emitted, b.repeated, b.last_key INTO emitted, repeated, last_key
          FROM zgres.backfill_table_rows(v_run.table_name, p_after, p_limit, p_repeat_upto,
                                         p_snapshot_at) b;
    ELSE
        SELECT b.emitted, b.repeated, b.last_key INTO emitted, repeated, last_key
          FROM chat.backfill_channel_messages(v_run.channel_id, p_after, p_limit, p_repeat_upto) b;
    END IF;
    IF emitted > 0 THEN
        INSERT INTO zgres.backfill_batches (run_id, last_key, emitted)
        VALUES (p_run, last_key, emitted);
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION zgres.backfill_table_rows(p_table regclass, p_after text[], p_limit int,
                                                     p_repeat_upto text[], p_snapshot_at timestamptz,
                                                     OUT emitted int, OUT repeated int,
                                                     OUT last_key text[])
LANGUAGE plpgsql AS $$
DECLARE
    v_cols text;
    v_after text;
    v_upto text;
    v_keytext text;
    v_schema text;
    v_name text;
    v_routes jsonb;
    v_route jsonb;
    v_row record;
    v_data jsonb;
    v_query text;
BEGIN
    SELECT string_agg(format('t.%I', column_name), ', ' ORDER BY key_position),
           string_agg(format('$1[%s]::%s', key_position, column_type), ', ' ORDER BY key_position),
           string_agg(format('$3[%s]::%s', key_position, column_type), ', ' ORDER BY key_position),
           string_agg(format('t.%I::text', column_name), ', ' ORDER BY key_position)
      INTO v_cols, v_after, v_upto, v_keytext
      FROM zgres.primary_key(p_table);
    SELECT n.nspname, c.relname INTO v_schema, v_name
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = p_table;
    SELECT coalesce(jsonb_agg(jsonb_build_object('channel', channel, 'columns', to_jsonb(columns))),
                    '[]'::jsonb)
      INTO v_routes FROM zgres.watch_routes(p_table);

    v_query := format('SELECT to_jsonb(t) AS r, ARRAY[%s] AS k, %s AS again FROM %s t',
                      v_keytext,
                      CASE WHEN p_repeat_upto IS NULL THEN 'false'
                           ELSE format('ROW(%s) <= ROW(%s)', v_cols, v_upto) END,
                      p_table);
    IF p_after IS NOT NULL THEN
        v_query := v_query || format(' WHERE ROW(%s) > ROW(%s)', v_cols, v_after);
    END IF;
    v_query := v_query || format(' ORDER BY %s LIMIT $2', v_cols);

    emitted := 0;
    repeated := 0;
    FOR v_row IN EXECUTE v_query USING p_after, p_limit, p_repeat_upto LOOP
        FOR v_route IN SELECT * FROM jsonb_array_elements(v_routes) LOOP
            IF jsonb_array_length(v_route -> 'columns') = 0 THEN
                v_data := v_row.r;
            ELSE
                SELECT jsonb_object_agg(c, v_row.r -> c) INTO v_data
                  FROM jsonb_array_elements_text(v_route -> 'columns') AS c;
            END IF;
            PERFORM zgres.emit(v_route ->> 'channel', json_build_object(
                'timestamp', p_snapshot_at,
                'operation', 'SNAPSHOT',
                'schema', v_schema,
                'table', v_name,
                'data', v_data)::text);
        END LOOP;
        emitted := emitted + 1;
        IF v_row.again THEN
            repeated := repeated + 1;
        END IF;
        last_key := v_row.k;
    END LOOP;
END;
$$;

/**
 * A chat channel's messages after message id p_after[1], in id order, as message_snapshot events
 * on chat_message_<id>: the message as it is now (content NULL once deleted) with its reactions.
 */
CREATE OR REPLACE FUNCTION chat.backfill_channel_messages(p_channel_id int, p_after text[],
                                                          p_limit int, p_repeat_upto text[],
                                                          OUT emitted int, OUT repeated int,
                                                          OUT last_key text[])
LANGUAGE plpgsql AS $$
DECLARE
    v_message record;
    v_after bigint := coalesce(p_after[1]::bigint, 0);
    v_upto bigint := p_repeat_upto[1]::bigint;
BEGIN
    emitted := 0;
    repeated := 0;
    FOR v_message IN
        SELECT m.*, u.username,
               (SELECT coalesce(jsonb_agg(jsonb_build_object('user_id', r.user_id,
                                                             'reaction', r.reaction)
                                          ORDER BY r.created_at, r.id), '[]'::jsonb)
                  FROM chat.reactions r WHERE r.message_id = m.id) AS reactions
          FROM chat.messages m LEFT JOIN chat.users u ON u.id = m.user_id
         WHERE m.channel_id = p_channel_id AND m.id > v_after
         ORDER BY m.id
         LIMIT p_limit
    LOOP
        PERFORM zgres.emit(chat.message_channel(p_channel_id), jsonb_build_object(
            'event', 'message_snapshot',
            'message_id', v_message.id,
            'channel_id', v_message.channel_id,
            'user_id', v_message.user_id,
            'username', v_message.username,
            'content', CASE WHEN v_message.deleted_at IS NULL THEN v_message.content END,
            'message_type', v_message.message_type,
            'created_at', v_message.created_at,
            'edited_at', v_message.edited_at,
            'deleted_at', v_message.deleted_at,
            'reactions', v_message.reactions)::text);
        emitted := emitted + 1;
        IF v_message.id <= v_upto THEN
            repeated := repeated + 1;
        END IF;
        last_key := ARRAY[v_message.id::text];
    END LOOP;
END;
$$;

/**
 * Ends a run: emits the end marker on each of its channels and stamps it finished. A run that is
 * never finished (interrupted) keeps its batches, so a resumed run can say what it emits again.
 */
CREATE OR REPLACE FUNCTION zgres.backfill_end(p_run bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_run zgres.backfill_runs;
    v_route record;
    v_total bigint;
BEGIN
    SELECT * INTO STRICT v_run FROM zgres.backfill_runs WHERE id = p_run;
    SELECT coalesce(sum(emitted), 0) INTO v_total FROM zgres.backfill_batches WHERE run_id = p_run;
    IF v_run.channel_id IS NOT NULL THEN
        PERFORM zgres.emit(chat.message_channel(v_run.channel_id), jsonb_build_object(
            'event', 'snapshot_finished', 'channel_id', v_run.channel_id, 'run', p_run,
            'messages', v_total)::text);
    ELSE
        FOR v_route IN SELECT * FROM zgres.watch_routes(v_run.table_name) LOOP
            PERFORM zgres.emit(v_route.channel,
                               zgres.snapshot_marker(v_run.table_name, 'SNAPSHOT_END', p_run));
        END LOOP;
    END IF;
    UPDATE zgres.backfill_runs SET finished_at = now() WHERE id = p_run;
END;
$$;

/**
 * The key that the latest interrupted run of p_source (one that never finished and committed at
 * least one batch) had reached, or NULL when a run finished after it or none was interrupted.
 */
CREATE OR REPLACE FUNCTION zgres.backfill_interrupted_at(p_source text) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT b.last_key
      FROM zgres.backfill_runs r
     CROSS JOIN LATERAL (SELECT last_key FROM zgres.backfill_batches
                          WHERE run_id = r.id ORDER BY id DESC LIMIT 1) b
     WHERE r.source = p_source
       AND r.finished_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM zgres.backfill_runs f
                        WHERE f.source = r.source AND f.id > r.id AND f.finished_at IS NOT NULL)
     ORDER BY r.id DESC
     LIMIT 1;
$$;
