import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// Signing and verification over HTTP (issue 13 §6): `POST /api/v1/signatures/pdf` signs the PDF in the body
/// with the caller's remote key (PIN in `X-Signing-Pin`), `POST /api/v1/signatures/xml` an XML document
/// (edXML) with an enveloped XML-DSig signature; `POST /api/v1/signatures/verify` (public) says whether a
/// PDF's or an XML document's signatures hold.
struct SignaturesAPI: RouteCollection {
    static let maxBytes = 20 * 1_048_576
    static let maxBody = ByteCount(value: maxBytes)

    func boot(routes: any RoutesBuilder) throws {
        let signatures = routes.grouped("signatures")
        signatures.grouped(AuthRateLimit.verification).on(.POST, "verify", body: .collect(maxSize: Self.maxBody), use: verify)
        signatures.grouped(RequirePrincipal()).on(.POST, "pdf", body: .collect(maxSize: Self.maxBody), use: signPDF)
        signatures.grouped(RequirePrincipal()).on(.POST, "xml", body: .collect(maxSize: Self.maxBody), use: signXML)
    }

    static let notPDFBody = EGovError.badRequest(LocalizedText(
        vi: "Vui lòng gửi tệp PDF trong thân yêu cầu (Content-Type: application/pdf).",
        en: "Please send the PDF as the request body (Content-Type: application/pdf)."))

    func signPDF(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        guard req.headers.contentType == .pdf, let body = req.body.data, body.readableBytes > 0 else { throw Self.notPDFBody }
        let pin = try Self.pin(req)
        let reason = try Self.text(req, "reason"), location = try Self.text(req, "location")
        let visible: Bool
        switch req.query[String.self, at: "visible"] {
        case nil, "false"?: visible = false
        case "true"?: visible = true
        default:
            throw EGovError.validation([ValidationError(field: "visible", vi: "Tham số visible chỉ nhận true hoặc false.",
                                                        en: "visible takes true or false.")])
        }
        let signed = try await req.egov.signatures.signPDF(
            Array(body.readableBytesView), as: SignatureService.Actor(principal), seal: try await Self.seal(req, principal), pin: pin,
            request: SignatureService.PDFRequest(reason: reason, location: location, visible: visible), on: req.db)
        var headers = HTTPHeaders()
        headers.contentType = .pdf
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"signed.pdf\"")
        return Response(status: .ok, headers: headers, body: .init(data: Data(signed.bytes)))
    }

    static let notXMLBody = EGovError.badRequest(LocalizedText(
        vi: "Vui lòng gửi tài liệu XML trong thân yêu cầu (Content-Type: application/xml).",
        en: "Please send the XML document as the request body (Content-Type: application/xml)."))

    func signXML(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        guard Self.isXML(req.headers.contentType), let body = req.body.data, body.readableBytes > 0 else { throw Self.notXMLBody }
        let pin = try Self.pin(req)
        let signed = try await req.egov.signatures.signXML(Array(body.readableBytesView), as: SignatureService.Actor(principal),
                                                           seal: try await Self.seal(req, principal), pin: pin, on: req.db)
        var headers = HTTPHeaders()
        headers.contentType = .xml
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"signed.xml\"")
        return Response(status: .ok, headers: headers, body: .init(data: Data(signed.bytes)))
    }

    static func isXML(_ type: HTTPMediaType?) -> Bool {
        guard let type else { return false }
        return type == .xml || (type.type == "text" && type.subType == "xml") || type.subType.hasSuffix("+xml")
    }

    /// The signing PIN from `X-Signing-Pin`: present, at most 64 bytes.
    static func pin(_ req: Request) throws -> String {
        guard let pin = SigningKeys.checkedPIN(req.headers.first(name: "X-Signing-Pin")) else {
            throw EGovError.validation([ValidationError(field: "X-Signing-Pin", vi: "Vui lòng nhập mã PIN ký (tiêu đề X-Signing-Pin).",
                                                        en: "Please give the signing PIN (X-Signing-Pin header).")])
        }
        return pin
    }

    /// `?seal=UNITCODE`: the unit's seal instead of the caller's own key, for its clerk or leader.
    static func seal(_ req: Request, _ principal: Principal) async throws -> UnitModel? {
        guard let code = req.query[String.self, at: "seal"], !code.isEmpty else { return nil }
        guard code.utf8.count <= 64, let unit = try await UnitModel.query(on: req.db).filter(\.$code == code).first() else {
            throw EGovError.notFound(LocalizedText(vi: "Không có đơn vị mã “\(code.prefix(64))”.", en: "No unit with code “\(code.prefix(64))”."))
        }
        guard principal.can(.signaturesSeal, on: unit) else {
            throw EGovError.forbiddenBecause(LocalizedText(vi: "Bạn không được đóng dấu số của đơn vị này.",
                                                           en: "You may not use this unit's seal."))
        }
        return unit
    }

    /// An optional short text from the query: at most 200 characters, no control characters.
    static func text(_ req: Request, _ name: String) throws -> String? {
        guard let value = req.query[String.self, at: name], !value.isEmpty else { return nil }
        guard value.count <= 200, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw EGovError.validation([ValidationError(field: name, vi: "“\(name)” dài quá 200 ký tự hoặc có ký tự điều khiển.",
                                                        en: "“\(name)” is longer than 200 characters or has control characters.")])
        }
        return value.precomposedStringWithCanonicalMapping
    }

    func verify(_ req: Request) async throws -> SignatureService.Report {
        guard let body = req.body.data, body.readableBytes > 0 else { throw SignatureService.notSigned }
        return try await req.egov.signatures.verify(Array(body.readableBytesView), on: req.db)
    }
}
