package dev.zgres.runtime.operations;

import java.util.Map;

/**
 * What {@code /health} answers: {@code up} decides the HTTP status (200 or 503); details are shown
 * as JSON (role, connection state, backlog).
 */
public record HealthReport(boolean up, Map<String, Object> details) {}
