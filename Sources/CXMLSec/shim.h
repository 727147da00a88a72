// libxmlsec1 (Debian libxmlsec1-dev) for XML-DSig, with the few helpers Swift cannot write itself:
// C callbacks, a parse that refuses any document type, and fields reached through nested structs.
#ifndef CXMLSEC_SHIM_H
#define CXMLSEC_SHIM_H

// pkg-config's -D flags for xmlsec1-openssl, which SwiftPM drops (docs/toolchain.md): they must match
// how Debian built the library.
#ifndef XMLSEC_NO_SIZE_T
#define XMLSEC_NO_SIZE_T 1
#endif
#define XMLSEC_CRYPTO_OPENSSL 1
#define XMLSEC_NO_CRYPTO_DYNAMIC_LOADING 1
#define XMLSEC_OPENSSL3_ENGINES 1
#define XMLSEC_NO_GOST 1
#define XMLSEC_NO_GOST2012 1
#define __XMLSEC_FUNCTION__ __func__

#include <libxml/xmlversion.h>
// Foundation brings its own ICU; libxml2's ICU declarations clash with it and are not needed here.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/templates.h>
#include <xmlsec/transforms.h>
#include <xmlsec/errors.h>
#include <xmlsec/openssl/app.h>
#include <xmlsec/openssl/crypto.h>
#include <xmlsec/openssl/x509.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>

/// Initialises libxml2, xmlsec and its OpenSSL back end once; 0 on success. Errors are reported through
/// return values only, not printed.
static inline int cxmlsec_init(void) {
    xmlInitParser();
    if (xmlSecInit() < 0) return -1;
    if (xmlSecCheckVersion() != 1) return -1;
    if (xmlSecOpenSSLAppInit(NULL) < 0) return -1;
    if (xmlSecOpenSSLInit() < 0) return -1;
    xmlSecErrorsDefaultCallbackEnableOutput(0);
    return 0;
}

static inline void cxmlsec_xml_free(void *pointer) { xmlFree(pointer); }
static inline void cxmlsec_openssl_free(void *pointer) { OPENSSL_free(pointer); }

static inline void cxmlsec_refuse_subset(void *context, const xmlChar *name, const xmlChar *externalID, const xmlChar *systemID) {
    (void)name; (void)externalID; (void)systemID;
    xmlParserCtxtPtr parser = (xmlParserCtxtPtr)context;
    *(int *)parser->_private = 1;
    xmlStopParser(parser);
}

/// Parses `size` bytes of XML with no document type at all (no DTD, so no entities to expand or fetch) and
/// no network; NULL when the bytes are not well-formed XML or declare a DOCTYPE.
static inline xmlDocPtr cxmlsec_parse(const char *bytes, int size) {
    int refused = 0;
    xmlParserCtxtPtr parser = xmlCreateMemoryParserCtxt(bytes, size);
    if (parser == NULL) return NULL;
    parser->_private = &refused;
    parser->sax->internalSubset = cxmlsec_refuse_subset;
    xmlCtxtUseOptions(parser, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlParseDocument(parser);
    xmlDocPtr document = parser->myDoc;
    int ok = parser->wellFormed && !refused && document != NULL && document->intSubset == NULL;
    parser->myDoc = NULL;
    xmlFreeParserCtxt(parser);
    if (!ok) {
        if (document != NULL) xmlFreeDoc(document);
        return NULL;
    }
    return document;
}

/// Restricts a verification to what the platform signs and accepts: the whole document (URI=""), the
/// enveloped transform, canonical XML, SHA-256 with RSA or ECDSA, and the key only from an X.509 certificate
/// in the signature (never a bare KeyValue). The certificate's chain and status are checked by the caller.
static inline int cxmlsec_restrict(xmlSecDSigCtxPtr context) {
    context->enabledReferenceUris = xmlSecTransformUriTypeEmpty;
    context->keyInfoReadCtx.flags |= XMLSEC_KEYINFO_FLAGS_X509DATA_DONT_VERIFY_CERTS;
    if (xmlSecPtrListAdd(&context->keyInfoReadCtx.enabledKeyData, (xmlSecPtr)xmlSecOpenSSLKeyDataX509GetKlass()) < 0) return -1;
    xmlSecTransformId signature[] = {
        xmlSecTransformInclC14NGetKlass(), xmlSecTransformInclC14N11GetKlass(), xmlSecTransformExclC14NGetKlass(),
        xmlSecOpenSSLTransformRsaSha256GetKlass(), xmlSecOpenSSLTransformEcdsaSha256GetKlass(),
    };
    for (size_t i = 0; i < sizeof(signature) / sizeof(signature[0]); i++) {
        if (xmlSecDSigCtxEnableSignatureTransform(context, signature[i]) < 0) return -1;
    }
    xmlSecTransformId reference[] = {
        xmlSecTransformEnvelopedGetKlass(), xmlSecTransformInclC14NGetKlass(), xmlSecTransformInclC14N11GetKlass(),
        xmlSecTransformExclC14NGetKlass(), xmlSecOpenSSLTransformSha256GetKlass(),
    };
    for (size_t i = 0; i < sizeof(reference) / sizeof(reference[0]); i++) {
        if (xmlSecDSigCtxEnableReferenceTransform(context, reference[i]) < 0) return -1;
    }
    return 0;
}

/// Whether every reference of a verified signature covers the whole document (no URI, or URI="").
static inline int cxmlsec_covers_whole_document(xmlSecDSigCtxPtr context) {
    xmlSecSize count = xmlSecPtrListGetSize(&context->signedInfoReferences);
    if (count == 0) return 0;
    for (xmlSecSize i = 0; i < count; i++) {
        xmlSecDSigReferenceCtxPtr reference = (xmlSecDSigReferenceCtxPtr)xmlSecPtrListGetItem(&context->signedInfoReferences, i);
        if (reference == NULL || (reference->uri != NULL && reference->uri[0] != 0)) return 0;
    }
    return 1;
}

/// The X.509 data of the key that checked the signature (its certificates), or NULL.
static inline xmlSecKeyDataPtr cxmlsec_x509_data(xmlSecDSigCtxPtr context) {
    return context->signKey == NULL ? NULL : xmlSecKeyGetData(context->signKey, xmlSecOpenSSLKeyDataX509GetKlass());
}

/// The DER of the certificate whose key checked the signature (index -1), or of the signature's
/// certificate number `index`; its length, or -1. Free `*der` with cxmlsec_openssl_free.
static inline int cxmlsec_certificate(xmlSecDSigCtxPtr context, int index, unsigned char **der) {
    *der = NULL;
    xmlSecKeyDataPtr data = cxmlsec_x509_data(context);
    if (data == NULL) return -1;
    X509 *certificate = NULL;
    if (index < 0) {
        certificate = xmlSecOpenSSLKeyDataX509GetKeyCert(data);
    } else if ((xmlSecSize)index < xmlSecOpenSSLKeyDataX509GetCertsSize(data)) {
        certificate = xmlSecOpenSSLKeyDataX509GetCert(data, (xmlSecSize)index);
    }
    if (certificate == NULL) return -1;
    return i2d_X509(certificate, der);
}

static inline int cxmlsec_certificate_count(xmlSecDSigCtxPtr context) {
    xmlSecKeyDataPtr data = cxmlsec_x509_data(context);
    return data == NULL ? 0 : (int)xmlSecOpenSSLKeyDataX509GetCertsSize(data);
}

#endif
