import CXMLSec
import Foundation

/// Enveloped XML-DSig signatures (issue 13 §3), for edXML messages, through libxmlsec1 — the field's
/// reference implementation — so canonicalisation is the standard's: inclusive Canonical XML, an enveloped
/// signature over the whole document (`URI=""`), RSA-SHA256 and SHA-256, and the signer's certificate with
/// its chain in `KeyInfo/X509Data`. Documents with a DOCTYPE are refused (no entities, no DTD, no network).
enum XMLSignature {
    enum Failure: Error, Equatable {
        /// Not well-formed XML, or it declares a document type.
        case notXML
        /// The document already carries a signature: a second enveloped one would break the first.
        case alreadySigned
        /// The document has no signature to check.
        case unsigned
        /// libxmlsec1 could not be set up or could not sign.
        case library(String)
    }

    /// The largest document handled, as the HTTP bodies are bounded.
    static let maxBytes = 20 * 1_048_576

    private static let ready: Bool = cxmlsec_init() == 0

    static let dsigNamespace = "http://www.w3.org/2000/09/xmldsig#"

    /// A document parsed and given an empty signature template, ready for a key: made before the signer's PIN
    /// is tried, so a document that cannot be signed costs no attempt. Used by one request, signed once.
    final class Prepared: @unchecked Sendable {
        private let document: xmlDocPtr
        private let signature: xmlNodePtr

        fileprivate init(document: xmlDocPtr, signature: xmlNodePtr) {
            (self.document, self.signature) = (document, signature)
        }

        deinit { xmlFreeDoc(document) }

        /// Signs with the private key in `keyPEM` by the SignatureMethod `method` (the template's RSA-SHA256
        /// unless told otherwise), putting `certificates` (DER, the signer's first, then its chain) in the
        /// signature; returns the signed document.
        func sign(keyPEM: String, method: String? = nil, certificates: [[UInt8]]) throws -> [UInt8] {
            if let method {
                // ds:Signature / ds:SignedInfo / ds:SignatureMethod, as the template wrote them.
                let namespace = Array("http://www.w3.org/2000/09/xmldsig#".utf8) + [0]
                guard let signedInfo = xmlSecFindChild(signature, Array("SignedInfo".utf8) + [0], namespace),
                      let signatureMethod = xmlSecFindChild(signedInfo, Array("SignatureMethod".utf8) + [0], namespace),
                      xmlSetProp(signatureMethod, Array("Algorithm".utf8) + [0], Array(method.utf8) + [0]) != nil else {
                    throw Failure.library("signature method")
                }
            }
            guard let context = xmlSecDSigCtxCreate(nil) else { throw Failure.library("context") }
            defer { xmlSecDSigCtxDestroy(context) }
            context.pointee.enabledReferenceUris = xmlSecTransformUriType(xmlSecTransformUriTypeEmpty)
            let pem = Array(keyPEM.utf8)
            guard let key = xmlSecOpenSSLAppKeyLoadMemory(pem, UInt32(pem.count), xmlSecKeyDataFormatPem, nil, nil, nil) else {
                throw Failure.library("key")
            }
            context.pointee.signKey = key
            for certificate in certificates {
                guard xmlSecOpenSSLAppKeyCertLoadMemory(key, certificate, UInt32(certificate.count), xmlSecKeyDataFormatDer) == 0 else {
                    throw Failure.library("certificate")
                }
            }
            guard xmlSecDSigCtxSign(context, signature) == 0 else { throw Failure.library("sign") }
            return try XMLSignature.serialize(document)
        }
    }

    /// Parses `xml` and adds the signature template (enveloped, inclusive C14N, RSA-SHA256, SHA-256 over
    /// `URI=""`, an empty `X509Data` for the certificates). Throws `.notXML` or `.alreadySigned`.
    static func prepare(_ xml: [UInt8]) throws -> Prepared {
        guard ready else { throw Failure.library("xmlsec init") }
        let document = try parse(xml)
        func refuse(_ failure: Failure) -> Failure {
            xmlFreeDoc(document)
            return failure
        }
        guard let root = xmlDocGetRootElement(document) else { throw refuse(.notXML) }
        guard signatureNodes(in: root).isEmpty else { throw refuse(.alreadySigned) }
        guard let signature = xmlSecTmplSignatureCreate(document, xmlSecTransformInclC14NGetKlass(),
                                                        xmlSecOpenSSLTransformRsaSha256GetKlass(), nil) else {
            throw refuse(.library("template"))
        }
        guard xmlAddChild(signatureParent(in: root), signature) != nil else {
            xmlFreeNode(signature)
            throw refuse(.library("template"))
        }
        // From here the document owns the template and `Prepared` owns the document.
        let prepared = Prepared(document: document, signature: signature)
        let wholeDocument: [xmlChar] = [0]
        guard let reference = xmlSecTmplSignatureAddReference(signature, xmlSecOpenSSLTransformSha256GetKlass(), nil, wholeDocument, nil),
              xmlSecTmplReferenceAddTransform(reference, xmlSecTransformEnvelopedGetKlass()) != nil,
              let keyInfo = xmlSecTmplSignatureEnsureKeyInfo(signature, nil),
              xmlSecTmplKeyInfoAddX509Data(keyInfo) != nil else {
            throw Failure.library("template")
        }
        return prepared
    }

    /// One signature's result: whether it holds over the document, and the certificates it carried.
    struct Checked: Sendable {
        /// The signed content is unchanged and the certificate's key signed it.
        let intact: Bool
        /// Every reference is the whole document.
        let coversWholeDocument: Bool
        /// The DER of the certificate whose key checked the signature (nil when none could be read).
        let signer: [UInt8]?
        /// The DER of every certificate in the signature (the signer's chain for the caller to check).
        let certificates: [[UInt8]]
    }

    /// Checks every enveloped signature (a `ds:Signature` child of the root, or of an edXML header). The certificates' trust,
    /// validity and revocation are the caller's to decide.
    static func verify(_ xml: [UInt8]) throws -> [Checked] {
        guard ready else { throw Failure.library("xmlsec init") }
        let document = try parse(xml)
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { throw Failure.notXML }
        let nodes = signatureNodes(in: root)
        guard !nodes.isEmpty else { throw Failure.unsigned }
        return nodes.map(check)
    }

    private static func check(_ node: xmlNodePtr) -> Checked {
        guard let manager = xmlSecKeysMngrCreate() else { return Checked(intact: false, coversWholeDocument: false, signer: nil, certificates: []) }
        defer { xmlSecKeysMngrDestroy(manager) }
        guard xmlSecOpenSSLAppDefaultKeysMngrInit(manager) == 0, let context = xmlSecDSigCtxCreate(manager) else {
            return Checked(intact: false, coversWholeDocument: false, signer: nil, certificates: [])
        }
        defer { xmlSecDSigCtxDestroy(context) }
        guard cxmlsec_restrict(context) == 0, xmlSecDSigCtxVerify(context, node) == 0 else {
            return Checked(intact: false, coversWholeDocument: false, signer: certificate(context, -1),
                           certificates: certificates(context))
        }
        return Checked(intact: context.pointee.status == xmlSecDSigStatusSucceeded,
                       coversWholeDocument: cxmlsec_covers_whole_document(context) == 1,
                       signer: certificate(context, -1), certificates: certificates(context))
    }

    private static func certificates(_ context: xmlSecDSigCtxPtr) -> [[UInt8]] {
        (0..<max(0, cxmlsec_certificate_count(context))).compactMap { certificate(context, Int32($0)) }
    }

    private static func certificate(_ context: xmlSecDSigCtxPtr, _ index: Int32) -> [UInt8]? {
        var der: UnsafeMutablePointer<UInt8>?
        let length = cxmlsec_certificate(context, index, &der)
        defer { cxmlsec_openssl_free(der) }
        guard length > 0, let der else { return nil }
        return Array(UnsafeBufferPointer(start: der, count: Int(length)))
    }

    private static func parse(_ xml: [UInt8]) throws -> xmlDocPtr {
        guard !xml.isEmpty, xml.count <= maxBytes else { throw Failure.notXML }
        let document = xml.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { cxmlsec_parse($0.baseAddress, Int32($0.count)) }
        }
        guard let document else { throw Failure.notXML }
        return document
    }

    fileprivate static func serialize(_ document: xmlDocPtr) throws -> [UInt8] {
        var bytes: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpMemory(document, &bytes, &size)
        defer { cxmlsec_xml_free(bytes) }
        guard let bytes, size > 0 else { throw Failure.library("serialize") }
        return Array(UnsafeBufferPointer(start: bytes, count: Int(size)))
    }

    /// Where an enveloped signature goes: in an edXML message, its `edXMLHeader` (QCVN 102:2016 puts `Signature`
    /// there, beside `MessageHeader` and `TraceHeaderList`), whether or not the outer `edXML` root is there;
    /// in any other document, the root.
    private static func signatureParent(in root: xmlNodePtr) -> xmlNodePtr {
        var node = root
        if name(node) == "edXML", let envelope = child(of: node, named: "edXMLEnvelope") { node = envelope }
        if name(node) == "edXMLEnvelope", let header = child(of: node, named: "edXMLHeader") { return header }
        return root
    }

    private static func child(of parent: xmlNodePtr, named wanted: String) -> xmlNodePtr? {
        var child = parent.pointee.children
        while let node = child {
            if node.pointee.type == XML_ELEMENT_NODE, name(node) == wanted { return node }
            child = node.pointee.next
        }
        return nil
    }

    /// The enveloped `ds:Signature` elements of the document: under the root, and under an edXML message's header.
    private static func signatureNodes(in root: xmlNodePtr) -> [xmlNodePtr] {
        let parent = signatureParent(in: root)
        return signatureNodes(under: root) + (parent == root ? [] : signatureNodes(under: parent))
    }

    /// The `ds:Signature` elements directly under `root`: where enveloped signatures sit.
    private static func signatureNodes(under root: xmlNodePtr) -> [xmlNodePtr] {
        var found: [xmlNodePtr] = []
        var child = root.pointee.children
        while let node = child {
            if node.pointee.type == XML_ELEMENT_NODE, name(node) == "Signature",
               let namespace = node.pointee.ns?.pointee.href, String(cString: namespace) == dsigNamespace {
                found.append(node)
            }
            child = node.pointee.next
        }
        return found
    }

    private static func name(_ node: xmlNodePtr) -> String? {
        node.pointee.name.map { String(cString: $0) }
    }
}
