import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Foundation
import Vapor

/// A unit's register book for a year as CSV (Decree 30/2020 Appendix IV), for printing or a spreadsheet:
/// `GET /api/v1/documents/registers/{unit}/{outgoing|incoming}.csv?year=`. UTF-8 with a byte-order mark, so a
/// spreadsheet shows the Vietnamese as it is; every field quoted.
enum DocumentRegisters {
    static let maxRows = 50_000

    /// A register book: its unit, year, whether it is the outgoing one, and its lines, the first the column titles.
    struct Book {
        let unit: UnitModel
        let year: Int
        let outgoing: Bool
        let lines: [[String]]
    }

    static func notFound() -> EGovError { EGovError.notFound(LocalizedText(vi: "Không có sổ văn bản này.", en: "No such register.")) }

    /// The book of `code` (`outgoing` or `incoming`) for `year` (default this year), for a reader of the unit's documents.
    static func book(unit code: String, outgoing: Bool, _ req: Request) async throws -> Book {
        let principal = try req.principal()
        guard code.count <= 40, let unit = try await UnitModel.query(on: req.db).filter(\.$code == code).first(),
              CasePolicy.serves(principal, DocumentsModule.read, unitPath: unit.path) else { throw notFound() }
        let year = try RequestNumbers.int(req, "year", in: 2000...2100) ?? DocumentIssuance.registerYear(req.egov.clock.now())
        let query = DocumentModel.query(on: req.db).filter(\.$registerYear == year)
        if outgoing {
            query.filter(\.$direction == DocumentModel.Direction.outgoing.rawValue).filter(\.$issuerCode == unit.code).filter(\.$number != nil)
                .sort(\.$number)
        } else {
            query.filter(\.$direction == DocumentModel.Direction.incoming.rawValue).filter(\.$draftingUnitCode == unit.code)
                .filter(\.$arrivalNumber != nil).sort(\.$arrivalNumber)
        }
        let documents = try await query.limit(maxRows).all()
        let types = Dictionary(try await DocumentTypeModel.query(on: req.db).all().map { ($0.id ?? "", $0.name) }, uniquingKeysWith: { first, _ in first })
        var lines: [[String]] = []
        if outgoing {
            lines.append(["Số, ký hiệu", "Ngày tháng", "Tên loại và trích yếu nội dung", "Người ký", "Nơi nhận", "Đơn vị soạn thảo", "Ghi chú"])
            let signers = try await DocumentDelivery.signers(of: documents, on: req.db)
            for document in documents {
                let signer = document.id.flatMap { signers[$0] } ?? ""
                lines.append([document.notation ?? "", document.issuedAt.map(EdXMLWriter.date) ?? "",
                              "\(types[document.typeID] ?? document.typeID): \(document.subject)", signer,
                              document.recipients.joined(separator: "; "), document.draftingUnitCode, ""])
            }
        } else {
            lines.append(["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Tên loại và trích yếu nội dung", "Đơn vị hoặc người nhận",
                          "Cách nhận", "Ghi chú"])
            for document in documents {
                lines.append([EdXMLWriter.date(document.createdAt), document.arrivalNumber.map(String.init) ?? "",
                              document.senderName ?? document.senderCode ?? "", document.senderNotation ?? "",
                              "\(types[document.typeID] ?? document.typeID): \(document.subject)", document.assigneeName ?? unit.name,
                              document.channel == DocumentModel.Channel.paper.rawValue ? "Bản giấy" : "Điện tử", ""])
            }
        }
        return Book(unit: unit, year: year, outgoing: outgoing, lines: lines)
    }

    static func csv(_ req: Request) async throws -> Response {
        let book = req.parameters.get("book") ?? ""
        guard book == "outgoing.csv" || book == "incoming.csv" else {
            throw EGovError.notFound(LocalizedText(vi: "Chỉ có sổ văn bản đi (outgoing.csv) và sổ văn bản đến (incoming.csv).",
                                                   en: "The registers are outgoing.csv and incoming.csv."))
        }
        return download(try await self.book(unit: req.parameters.get("unit") ?? "", outgoing: book == "outgoing.csv", req))
    }

    /// The book as a CSV download.
    static func download(_ book: Book) -> Response {
        let body = "\u{FEFF}" + book.lines.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition,
                             value: "attachment; filename=\"so-van-ban-\(book.outgoing ? "di" : "den")-\(book.unit.code)-\(book.year).csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: body))
    }

    /// One CSV field, quoted, its quotes doubled; a leading `=`, `+`, `-` or `@` is kept from being read as a formula.
    static func field(_ value: String) -> String {
        let safe = value.first.map { "=+-@".contains($0) } == true ? "'" + value : value
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
