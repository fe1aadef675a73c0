/**
 * The examples of P1861R0 written with securenet.
 */
package dev.securenet.sample;
