/** The consumer processes' shared runtime: the Kafka poll loop, configuration and metrics. */
package dev.zgres.consumers.runtime;
