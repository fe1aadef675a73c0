/**
 * Reading keys and certificates from PEM (RFC 7468) and DER with BouncyCastle. Not API.
 */
package dev.securenet.internal.pem;
