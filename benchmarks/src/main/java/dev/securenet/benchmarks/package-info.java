/**
 * JMH benchmarks of securenet next to raw JSSE baselines, run side by side in one JVM run.
 */
package dev.securenet.benchmarks;
