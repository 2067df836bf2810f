package dev.zgres.bench.result;

/**
 * CPU seconds and run-queue seconds (runnable, waiting for a core) during a phase, of the
 * PostgreSQL backend that LISTENs and of the client thread reading its socket; NaN where unknown. A
 * wait close to the phase's length means the task was starved of CPU, whatever its code does.
 */
public record ListenerSched(
    double backendCpu, double backendWait, double threadCpu, double threadWait) {}
