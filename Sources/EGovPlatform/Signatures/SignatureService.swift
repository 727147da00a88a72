import Crypto
import EGovCore
import Fluent
import Foundation
import NIOPosix
import SwiftASN1
import Vapor
import X509

/// The platform's signing service, which the modules call: signs a PDF with an officer's remote key (PAdES
/// baseline, `ETSI.CAdES.detached`) and verifies the signatures in a PDF, ours or another tool's.
public struct SignatureService: Sendable {
    let clock: EGovClock
    let threadPool: NIOThreadPool
    /// Opens the time-stamping authority's key.
    let secrets: Secrets
    /// The outside TSA that stamps signatures and seals instead of the locality's own (`EGOV_TSA_URL`), or nil.
    public var externalTSA: ExternalTimeStampAuthority?

    public init(clock: EGovClock, threadPool: NIOThreadPool, secrets: Secrets) {
        self.clock = clock
        self.threadPool = threadPool
        self.secrets = secrets
    }

    /// A signature time-stamp token (RFC 3161) over the SHA-256 `digest`: from the outside TSA when one is
    /// configured (503 with the reason when it gives none that holds here), else from the locality's own; nil
    /// when there is neither.
    public func timeStampToken(sha256 digest: [UInt8], on db: any Database) async throws -> [UInt8]? {
        let now = clock.now()
        if let externalTSA {
            let anchors = try await TrustedAuthorities.anchors(on: db)
            do {
                return try await externalTSA.token(sha256: digest, anchors: anchors, now: now)
            } catch let failure {
                throw EGovError.unavailable(LocalizedText(vi: "Chưa lấy được dấu thời gian, văn bản chưa được ký: \(failure.reason.vi)",
                                                          en: "No time-stamp, so nothing was signed: \(failure.reason.en)"))
            }
        }
        guard let stamper = try await TimeStampAuthority.stamper(secrets: secrets, on: db) else { return nil }
        return try await threadPool.runIfActive { try stamper.token(sha256: digest, at: now) }
    }

    /// Time-stamps the newest audit seals still without a token, with `timeStampToken` (the server's job and
    /// `egov audit seal` alike).
    @discardableResult
    public func timeStampSeals(on db: any Database) async throws -> Int {
        try await AuditLog.timeStampSeals(on: db) { try await timeStampToken(sha256: $0, on: db) }
    }

    /// The locality TSA's answer to a DER TimeStampReq (RFC 3161): a DER TimeStampResp, granted or rejected.
    public func timeStampReply(to request: [UInt8], on db: any Database) async throws -> [UInt8] {
        let stamper = try await TimeStampAuthority.stamper(secrets: secrets, on: db)
        let now = clock.now()
        return try await threadPool.runIfActive { TimeStampAuthority.respond(to: request, stamper: stamper, at: now) }
    }

    /// What the signer asks to be written in the signature dictionary.
    public struct PDFRequest: Sendable {
        public var reason: String?
        public var location: String?
        /// A visible stamp on the last page (who, for which unit, when), rather than an invisible signature.
        public var visible: Bool
        /// An issued result's verification code and the check page's address: printed on the stamp, with its QR code.
        public var verification: (code: String, address: String)?
        /// An issued document's number and notation, printed first on the stamp (the seal that issues it).
        public var notation: String?

        public init(reason: String? = nil, location: String? = nil, visible: Bool = false, verification: (code: String, address: String)? = nil,
                    notation: String? = nil) {
            (self.reason, self.location, self.visible, self.verification, self.notation) = (reason, location, visible, verification, notation)
        }
    }

    public struct Signed: Sendable {
        public let bytes: [UInt8]
        /// The serial of the certificate that signed.
        public let serial: String
        public let signer: String
    }

    static let notPDF = EGovError.badRequest(LocalizedText(vi: "Tệp gửi lên không phải là PDF hợp lệ.", en: "The file is not a valid PDF."))

    /// Who signs: the account whose key it is, named in the audit log.
    public struct Actor: Sendable {
        public let userID: UUID
        public let username: String
        public let unitCode: String?

        public init(userID: UUID, username: String, unitCode: String?) {
            (self.userID, self.username, self.unitCode) = (userID, username, unitCode)
        }

        /// The signed-in account.
        public init(_ principal: Principal) {
            self.init(userID: principal.id, username: principal.username, unitCode: principal.primaryUnitCode)
        }
    }

    /// Signs `pdf` with `actor`'s own key, or the seal of a unit (`seal`: the caller checked that the actor may
    /// use it), which opens with `pin`; the audit log records the signature, the signed file's digest and what
    /// it is `for` (a case, e.g. `dossier:CODE`), when given.
    public func signPDF(_ pdf: [UInt8], as actor: Actor, seal: UnitModel? = nil, pin: String, request: PDFRequest,
                        for purpose: String? = nil, on db: any Database) async throws -> Signed {
        try await signPDF(pdf, as: actor, seal: seal, key: .pin(pin), request: request, for: purpose, on: db)
    }

    /// How a signature's key is opened: with its PIN now, or already opened (`unlock`) by a caller that signs
    /// inside its own transaction, where a wrong PIN's count would be rolled back.
    enum KeySource: Sendable {
        case pin(String)
        case unlocked(SigningKeys.Unlocked)
    }

    /// Opens `actor`'s key (or `seal`'s) with `pin`, counting a wrong PIN as signing does, for signatures to come.
    func unlock(as actor: Actor, seal: UnitModel?, pin: String, on db: any Database) async throws -> SigningKeys.Unlocked {
        try await SigningKeys.unlock(try Self.holder(actor, seal: seal), pin: pin, at: clock.now(), threadPool: threadPool, on: db)
    }

    func signPDF(_ pdf: [UInt8], as actor: Actor, seal: UnitModel?, key source: KeySource, request: PDFRequest,
                 for purpose: String?, on db: any Database) async throws -> Signed {
        let now = clock.now()
        // The update is prepared before the PIN is tried, so a file that cannot be signed costs no attempt. A
        // stamp names the holder of the current certificate, which is read without opening the key.
        var options = PDFSigningUpdate.Options(reason: request.reason, location: request.location, signingTime: now)
        if request.visible {
            let current = try await SigningKeys.current(Self.holder(actor, seal: seal), at: now, on: db)
            let subject = try Certificate(pemEncoded: current.certificatePEM).subject
            options.stamp = SignatureStamp(signer: Self.attribute(.RDNAttributeType.commonName, of: subject) ?? "",
                                           unit: Self.attribute(.RDNAttributeType.organizationName, of: subject),
                                           at: now, verification: request.verification, notation: request.notation)
        }
        let update: PDFSigningUpdate
        do {
            let options = options
            update = try await threadPool.runIfActive { try PDFSigningUpdate(pdf, options: options) }
        } catch {
            throw Self.notPDF
        }
        // PAdES B-T: the TSA (the outside one configured, else the locality's) time-stamps the signature value,
        // which is known once the key has signed; the key is not held on a pool thread while the token comes.
        return try await sign(as: actor, seal: seal, key: source, at: now, kind: "pdf", purpose: purpose, on: db) { key in
            let signature = try await threadPool.runIfActive { try update.signature(by: key.signer) }
            let token = try await timeStampToken(sha256: Array(SHA256.hash(data: signature.value)), on: db)
            return try await threadPool.runIfActive { try update.filled(with: try signature.assembled(timeStampToken: token)) }
        }
    }

    static let notXML = EGovError.badRequest(LocalizedText(
        vi: "Tệp gửi lên không phải là XML hợp lệ, hoặc có khai báo DOCTYPE (không được chấp nhận).",
        en: "The file is not well-formed XML, or it declares a DOCTYPE (not accepted)."))

    /// Signs an XML document (an edXML message) with an enveloped XML-DSig signature, with `actor`'s key or
    /// `seal`'s, as `signPDF` does.
    public func signXML(_ xml: [UInt8], as actor: Actor, seal: UnitModel? = nil, pin: String, on db: any Database) async throws -> Signed {
        try await signXML(xml, as: actor, seal: seal, key: .pin(pin), on: db)
    }

    func signXML(_ xml: [UInt8], as actor: Actor, seal: UnitModel?, key source: KeySource, on db: any Database) async throws -> Signed {
        let now = clock.now()
        // Parsed and given its signature template before the PIN is tried, as a PDF's update is.
        let prepared: XMLSignature.Prepared
        do {
            prepared = try await threadPool.runIfActive { try XMLSignature.prepare(xml) }
        } catch XMLSignature.Failure.alreadySigned {
            throw EGovError.conflict(ValidationError(field: "body", vi: "Tài liệu XML đã có chữ ký số; chữ ký thứ hai sẽ làm chữ ký trước mất hiệu lực.",
                                                     en: "The XML document is already signed; a second signature would invalidate the first."))
        } catch XMLSignature.Failure.notXML {
            throw Self.notXML
        }
        return try await sign(as: actor, seal: seal, key: source, at: now, kind: "xml", purpose: nil, on: db) { key in
            try await threadPool.runIfActive {
                try prepared.sign(keyPEM: key.key.pem, method: key.key.xmlSignatureMethod,
                                  certificates: ([key.certificate] + key.chain).map(DERBytes.certificate))
            }
        }
    }

    /// Whose key signs: the unit's seal when there is one, else the actor's own.
    private static func holder(_ actor: Actor, seal: UnitModel?) throws -> SigningKeys.Holder {
        try seal.map { .seal(try $0.requireID()) } ?? .officer(actor.userID)
    }

    /// Opens the key of `actor` (or of `seal`) with `pin`, signs with it (`body` puts the work on the thread pool), and records the
    /// signature and the signed file's digest in the audit log (`signature.<kind>[.seal]`).
    private func sign(as actor: Actor, seal: UnitModel?, key source: KeySource, at now: Date, kind: String, purpose: String?, on db: any Database,
                      _ body: @Sendable (SigningKeys.Unlocked) async throws -> [UInt8]) async throws -> Signed {
        let key: SigningKeys.Unlocked
        switch source {
        case .pin(let pin): key = try await SigningKeys.unlock(try Self.holder(actor, seal: seal), pin: pin, at: now, threadPool: threadPool, on: db)
        case .unlocked(let unlocked): key = unlocked
        }
        let name = Self.attribute(.RDNAttributeType.commonName, of: key.certificate.subject)
        let signed = try await body(key)
        try await AuditLog.record(AuditEntry(actorID: actor.userID, actorName: actor.username, unitCode: seal?.code ?? actor.unitCode,
                                             action: "signature.\(kind)" + (seal == nil ? "" : ".seal"),
                                             target: "certificate:\(key.serial)",
                                             summary: (purpose.map { "\($0) " } ?? "") + "sha256:\(SHA256.hash(data: signed).hexEncoded)"),
                                  at: now, on: db)
        return Signed(bytes: signed, serial: key.serial, signer: name ?? "")
    }

    /// One signature's verdict, as `POST /api/v1/signatures/verify` reports it.
    public struct SignatureReport: Codable, Sendable, Equatable {
        public let signer: String?
        public let unit: String?
        public let signedAt: Date?
        /// `signedAt` comes from a signature time-stamp that holds (RFC 3161, PAdES B-T), not the signer's own claim.
        public let timeStamped: Bool
        /// The signed bytes are unchanged and the signer's key signed them.
        public let intact: Bool
        /// `valid`, `revoked` (before the signing time), `expired` (at the signing time), `untrusted` (no CA
        /// trusted here issued it) or `unknown` (no certificate in the signature).
        public let certificateStatus: String
        public let subFilter: String?
        /// Nothing was added to the file after this signature.
        public let coversWholeDocument: Bool

        /// Absent values are written as null: the contract names every field.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(signer, forKey: .signer)
            try container.encode(unit, forKey: .unit)
            try container.encode(signedAt, forKey: .signedAt)
            try container.encode(timeStamped, forKey: .timeStamped)
            try container.encode(intact, forKey: .intact)
            try container.encode(certificateStatus, forKey: .certificateStatus)
            try container.encode(subFilter, forKey: .subFilter)
            try container.encode(coversWholeDocument, forKey: .coversWholeDocument)
        }
    }

    public struct Report: Content, Sendable, Equatable {
        public let valid: Bool
        public let signatures: [SignatureReport]
    }

    public static let notSigned = EGovError.badRequest(LocalizedText(
        vi: "Vui lòng gửi tệp PDF hoặc tài liệu XML cần kiểm tra chữ ký.",
        en: "Please send the PDF or XML document whose signatures are to be checked."))

    /// Verifies a PDF (it starts with `%PDF-`) or an XML document (it starts with `<`, after an optional
    /// byte-order mark and white space); anything else is refused.
    public func verify(_ bytes: [UInt8], on db: any Database) async throws -> Report {
        if bytes.starts(with: Array("%PDF-".utf8)) { return try await verifyPDF(bytes, on: db) }
        let text = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        if text.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "<") {
            return try await verifyXML(bytes, on: db)
        }
        throw Self.notSigned
    }

    /// Verifies every signature in a PDF. The document is valid when it has signatures, each intact and made
    /// with a certificate valid at its signing time, and the last covers the whole file.
    public func verifyPDF(_ bytes: [UInt8], on db: any Database) async throws -> Report {
        // Parsing and hashing (up to 20 MB per signature) run on the thread pool, not on an event loop.
        let anchors = try await TrustedAuthorities.anchors(on: db)
        let checked: [(found: PDFSignatures.Found, intact: Bool, stamped: Date?)]
        do {
            checked = try await threadPool.runIfActive {
                try PDFSignatures(bytes).found.map { found in
                    // A signature time-stamp that holds gives the trusted signing time (PAdES B-T).
                    let stamp = found.cms.flatMap { cms in
                        cms.timeStampToken.flatMap { try? TimeStampToken($0) }.flatMap { $0.holds(for: cms.signature, anchors: anchors) ? $0.genTime : nil }
                    }
                    return (found, found.wellFormed && (found.cms?.verifies(content: found.chunks) ?? false), stamp)
                }
            }
        } catch {
            throw Self.notPDF
        }
        var reports: [SignatureReport] = []
        for (found, intact, stamped) in checked {
            let signedAt = stamped ?? found.cms?.signingTime ?? found.claimedTime
            reports.append(try await report(signer: found.cms?.signer, bundled: found.cms?.certificates ?? [], signedAt: signedAt,
                                            timeStamped: stamped != nil, intact: intact, subFilter: found.subFilter,
                                            coversWholeDocument: found.coversWholeFile, anchors: anchors, on: db))
        }
        return Self.verdict(reports)
    }

    /// Verifies the enveloped XML-DSig signatures of an XML document (an edXML message). XML-DSig carries no
    /// signing time: the certificate is checked as of now, and `signedAt` is null.
    public func verifyXML(_ bytes: [UInt8], on db: any Database) async throws -> Report {
        let checked: [XMLSignature.Checked]
        do {
            checked = try await threadPool.runIfActive { try XMLSignature.verify(bytes) }
        } catch XMLSignature.Failure.unsigned {
            return Report(valid: false, signatures: [])
        } catch XMLSignature.Failure.notXML {
            throw Self.notXML
        }
        let anchors = try await TrustedAuthorities.anchors(on: db)
        var reports: [SignatureReport] = []
        for signature in checked {
            reports.append(try await report(signer: signature.signer.flatMap { try? Certificate(derEncoded: $0) },
                                            bundled: signature.certificates.compactMap { try? Certificate(derEncoded: $0) },
                                            signedAt: nil, timeStamped: false, intact: signature.intact, subFilter: nil,
                                            coversWholeDocument: signature.coversWholeDocument, anchors: anchors, on: db))
        }
        return Self.verdict(reports)
    }

    /// A document is valid when it has signatures, each intact and made with a certificate valid at its
    /// signing time, and the last covers the whole document.
    static func verdict(_ reports: [SignatureReport]) -> Report {
        let valid = !reports.isEmpty && reports.allSatisfy { $0.intact && $0.certificateStatus == "valid" }
            && (reports.last?.coversWholeDocument ?? false)
        return Report(valid: valid, signatures: reports)
    }

    private func report(signer: Certificate?, bundled: [Certificate], signedAt: Date?, timeStamped: Bool, intact: Bool, subFilter: String?,
                        coversWholeDocument: Bool, anchors: [Certificate], on db: any Database) async throws -> SignatureReport {
        SignatureReport(
            signer: signer.flatMap { Self.attribute(.RDNAttributeType.commonName, of: $0.subject) },
            unit: signer.flatMap { Self.attribute(.RDNAttributeType.organizationName, of: $0.subject) },
            signedAt: signedAt, timeStamped: timeStamped, intact: intact,
            certificateStatus: try await Self.status(of: signer, bundled: bundled, at: signedAt ?? clock.now(), anchors: anchors, on: db),
            subFilter: subFilter, coversWholeDocument: coversWholeDocument)
    }

    /// Whether `certificate` leads to a CA trusted here (through the CA certificates the signature carried),
    /// was valid at `time`, and was not revoked before `time` — by this installation, or by the outside CA's
    /// CRL kept here.
    static func status(of certificate: Certificate?, bundled: [Certificate], at time: Date, anchors: [Certificate],
                       on db: any Database) async throws -> String {
        guard let certificate else { return "unknown" }
        guard TrustedAuthorities.chains(certificate, through: bundled, to: anchors) else { return "untrusted" }
        guard time >= certificate.notValidBefore, time <= certificate.notValidAfter else { return "expired" }
        let serial = Array(certificate.serialNumber.bytes).hexEncoded
        if let stored = try await SigningCertificateModel.query(on: db).filter(\.$serial == serial).first(),
           stored.status == SigningCertificateModel.Status.revoked.rawValue, (stored.revokedAt ?? .distantPast) <= time {
            return "revoked"
        }
        // A certificate from outside: its CA's CRL, when one was added here.
        if let revoked = try await OutsideRevocation.revocationDate(of: certificate, on: db), revoked <= time { return "revoked" }
        return "valid"
    }

    /// The first value of `type` in `name` (e.g. the common name).
    static func attribute(_ type: ASN1ObjectIdentifier, of name: DistinguishedName) -> String? {
        for rdn in name {
            for attribute in rdn where attribute.type == type { return String(describing: attribute.value) }
        }
        return nil
    }
}
