/* SPDX-License-Identifier: MIT */
/*
 * testkeys.h - public keys for the DKIM tests, base64 as in p=
 *
 * Made once with OpenSSL 3.0 (openssl genrsa N; openssl rsa -pubout
 * -outform DER, or -RSAPublicKey_out; openssl genpkey -algorithm
 * ed25519), then base64-encoded; the private keys were thrown away.
 */
#ifndef TESTKEYS_H
#define TESTKEYS_H

/* RSA 512 bits, SubjectPublicKeyInfo */
#define TESTKEY_RSA512                                                     \
	"MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMNyATO9WEoXdbzRo9/yKdDlO8ebihJv" \
	"MWhzQCwpE9TNOzRsuSA4ZQMr0eZkiDnMQXjgQVmncyoHC+hdu/NGUjsCAwEAAQ=="

/* RSA 1024 bits, SubjectPublicKeyInfo */
#define TESTKEY_RSA1024                                                    \
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC8dnEF5x+htmqqmn4EmtX5Ip1T" \
	"EA/dRNOYxRJcKWmP4iuy1q69krt/3Gahp0PXFJncl6C/UrNjpFymQ18MLxqJ5c1d" \
	"1lMWRwO8/G+x03c71o1UmD0qNfsKsjzC02uSrux4rJ5JUzyhhBNaW6zYzGhWNCUD" \
	"qCfwdpV53HbRQbcpYQIDAQAB"

/* RSA 2048 bits, SubjectPublicKeyInfo */
#define TESTKEY_RSA2048                                                    \
	"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtlSqD19rUevVKossnnee" \
	"/D/HWG0Yn2BCNu8TDx4hdqo+SMlKfGaAZUomLaeJjFct/dPs8Se7fwb9ovwU+b0l" \
	"4RqjzBImHPdgBLHFHDA8EbVsB/83GRNv0uY5n1o9c0pHBvaPCfbQIzLJWcT0knwK" \
	"HfNoU8uOQtnUk9Zzdaftn6p18ubkJw3KxCUrWmG07reRGBWtT+h2elZZ0kV1HyJS" \
	"dwoePLjgVITzPwC7JFHzX7VYsk0Q2yqutOA6BlOdr9jl6vytanhf3EBk5oSC11qo" \
	"dw5Y8UW6aqkLA9gS8/QZwoPvemgqCzQPy0Np+W10mi9WDh5idGpZJsaRZSGqfbMx" \
	"hwIDAQAB"

/* the same key as a bare RSAPublicKey (PKCS #1) */
#define TESTKEY_RSA2048_PKCS1                                              \
	"MIIBCgKCAQEAtlSqD19rUevVKossnnee/D/HWG0Yn2BCNu8TDx4hdqo+SMlKfGaA" \
	"ZUomLaeJjFct/dPs8Se7fwb9ovwU+b0l4RqjzBImHPdgBLHFHDA8EbVsB/83GRNv" \
	"0uY5n1o9c0pHBvaPCfbQIzLJWcT0knwKHfNoU8uOQtnUk9Zzdaftn6p18ubkJw3K" \
	"xCUrWmG07reRGBWtT+h2elZZ0kV1HyJSdwoePLjgVITzPwC7JFHzX7VYsk0Q2yqu" \
	"tOA6BlOdr9jl6vytanhf3EBk5oSC11qodw5Y8UW6aqkLA9gS8/QZwoPvemgqCzQP" \
	"y0Np+W10mi9WDh5idGpZJsaRZSGqfbMxhwIDAQAB"

/* RSA 4096 bits, SubjectPublicKeyInfo */
#define TESTKEY_RSA4096                                                    \
	"MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAuDXYYGBg8J8HLbO8eyWq" \
	"kadGdhmz0hWL+WkvRewew+jP/yYJ3CENaz7TnoyDuz3S2zguX6l7NZra87Oc8FPp" \
	"blnezci2RTMeScXOA3rV4eAOPFB6uvJ5v/tYA5v+c5QRrVx1hWPuTzGUJNeyBB+W" \
	"khxYfHqwns+NLBCIuO3nsndZQCWqgKLoPKDfBXsyxARgzpjKNlHZbZuatSVuiPqw" \
	"CSVuoWud/2vi2PP2EcXJTnfRL/jqaOFX/vGZg9gFsta/muzQ328QIKeT08ixiZwW" \
	"VITRf4a+FjbX+DpQ7HnamFjJ1Gf8yXu6h8qRaWiYq0sxGdX0mP/dKL/gzpKmsrmb" \
	"e1rmwpWWuzw01maFCauiBELGHVaBLHdiLCcyIjU859AXjPrSctHAoHUEBJ14/bkI" \
	"aadLAGnAkXAMqYKLt9EYgMcW+3U+xptKT3GCb88f7pcLXDzLAHEKOHdXHe6H3KLX" \
	"ykDQqA+JiXKArACav3HVWr/cVbMo4n7OL7tVwZ08uEPXIyV18mIb0cR8S5yAX5B9" \
	"3IwPSQtneFWOAUPabSBcVt/b2ZAMg96xpIu04665ibNUCL1EKdx40hPfXSpeWYJW" \
	"7TATkP6yHsNfwhh+Mz/7+qpqLht+QoJeAL3CQyXaiWEwgZJdQfggqNuIJ4OhwyfI" \
	"2mDlczJ0MKQvxaU/FtIcHccCAwEAAQ=="

/* Ed25519: the 32 bytes of the key (RFC 8463) */
#define TESTKEY_ED25519 "hZB/9nt7zVT8gffdTjKuCoh6yRoLpB8W/buwoRw/MrA="

/* the same key in a SubjectPublicKeyInfo (wrong for DKIM) */
#define TESTKEY_ED25519_SPKI \
	"MCowBQYDK2VwAyEAhZB/9nt7zVT8gffdTjKuCoh6yRoLpB8W/buwoRw/MrA="

#endif
