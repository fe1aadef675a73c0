/**
 * Trust decisions: the system's trusted roots, extra anchors, custom verifiers, and the
 * classification of a refused chain into a {@link dev.securenet.SecureConnectionException.Reason}.
 * Not API.
 */
package dev.securenet.internal.trust;
