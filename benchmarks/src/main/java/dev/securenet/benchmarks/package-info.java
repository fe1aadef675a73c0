/**
 * The side-by-side performance harness: each scenario runs securenet and the raw JDK doing the
 * same work, in one JVM, alternately, and {@link dev.securenet.benchmarks.SideBySide} writes the
 * ratios as a Markdown table.
 */
package dev.securenet.benchmarks;
