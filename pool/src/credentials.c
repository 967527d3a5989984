/*
 * The key of the credential cache: an HMAC-SHA256 of a password under a random key made
 * once per process. Pools keep only this MAC of a password they verified, so a warm
 * reconnect does not run PBKDF2 again, and memory never holds the password itself (nor a
 * hash that would be useful outside this process).
 */
#include "pool_int.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

static unsigned char cred_key[32];
static pthread_once_t cred_once = PTHREAD_ONCE_INIT;

static void cred_init(void)
{
    if (RAND_bytes(cred_key, sizeof cred_key) != 1) {
        /* Without randomness the MAC is still a MAC; it just would not be secret across
         * processes, which it need not be: it never leaves this one. */
    }
}

void pool_mac(const char *password, size_t len, unsigned char out[32])
{
    pthread_once(&cred_once, cred_init);
    unsigned int n = 32;
    if (!HMAC(EVP_sha256(), cred_key, sizeof cred_key, (const unsigned char *)password, len, out,
              &n))
        OPENSSL_cleanse(out, 32); /* an all-zero MAC never matches a verified one */
}
