/**
 * Implementation of the securenet API: not API, may change in any release.
 */
package dev.securenet.internal;
