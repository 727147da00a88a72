import EGovCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads an edXML message from another agency (QCVN 102:2016/BTTTT) into what an incoming document needs.
/// Vendors differ: the `edXML` root may be there or not, elements prefixed or not, `AttachmentEncoded` inside or
/// beside the envelope; elements are matched by their local names. A message with a DOCTYPE (the door of entity
/// expansion and external entities) is refused before it is parsed, as are one that is not well-formed, one
/// missing what identifies a document, and attachments that are not what they say.
enum EdXMLReader {
    struct Attachment: Sendable {
        let name: String
        let contentType: String?
        let data: Data
    }

    struct Message: Sendable {
        let fromCode: String
        let fromName: String?
        let toCodes: [String]
        let documentID: String
        let notation: DocumentNotation
        let promulgationDate: String?
        let typeCode: Int?
        let typeName: String?
        let subject: String
        let content: String?
        let priority: Int?
        let attachments: [Attachment]
        /// `Bussiness`: a new document (absent too), a recall, an update or a replacement, with its reason and
        /// the `DocumentId`s a replacement replaces.
        var business = EdXMLWriter.Business()
    }

    /// A status message (QCVN 102:2016) from an organ elsewhere about a document this installation sent it:
    /// `ResponseFor/DocumentId` names the document, `From/OrganId` the recipient, `StatusCode` what became of it.
    struct StatusReport: Sendable {
        let documentID: String
        let fromCode: String
        let fromName: String?
        /// Two digits: 01, 02, 03, 04, 05, 06, 15 or 16 (`statusCodes`).
        let statusCode: String
        let description: String
        /// When the recipient says it happened (`Timestamp`, Vietnam's time), if it says so readably.
        let at: Date?
        let staff: String?
    }

    /// What a recipient may report of a document sent to it. 13 is the sender's own (a recall); 07–12 and 14 are
    /// not defined by the standard.
    static let statusCodes: Set<String> = ["01", "02", "03", "04", "05", "06", "15", "16"]

    /// A message either carries a document or reports a document's status.
    enum Incoming: Sendable {
        case document(Message)
        case status(StatusReport)
    }

    /// Why a message is refused, in words for the clerk who sent it in.
    struct Refusal: Error {
        let reason: LocalizedText
        init(_ vi: String, _ en: String) { reason = LocalizedText(vi: vi, en: en) }
    }

    static let maxAttachments = 20
    static let maxText = 20_000

    /// A document's message; a status message is refused here (`readAny` takes both).
    static func read(_ data: Data, maxAttachmentBytes: Int) throws(Refusal) -> Message {
        switch try readAny(data, maxAttachmentBytes: maxAttachmentBytes) {
        case .document(let message): return message
        case .status: throw Refusal("Đây là gói tin trạng thái (StatusCode), không phải văn bản.", "This is a status message (StatusCode), not a document.")
        }
    }

    /// A document's message or a status message, told apart by `StatusCode`.
    static func readAny(_ data: Data, maxAttachmentBytes: Int) throws(Refusal) -> Incoming {
        // No DOCTYPE and no entity declarations: billion laughs and external entities never reach the parser.
        if contains(data, "<!doctype") || contains(data, "<!entity") {
            throw Refusal("Gói tin có khai báo DOCTYPE hoặc ENTITY, không được chấp nhận (nguy cơ tấn công thực thể XML).",
                          "The message declares a DOCTYPE or an ENTITY, which is not accepted (XML entity attacks).")
        }
        let collector = Collector()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = collector
        // A message cut short can end the parse without an error: only a closed root makes it whole.
        guard parser.parse(), collector.problem == nil, collector.closedRoot else {
            throw collector.problem ?? Refusal("Gói tin không phải XML hợp lệ (dòng \(parser.lineNumber)): có thể bị cắt cụt hoặc hỏng.",
                                               "The message is not well-formed XML (line \(parser.lineNumber)): truncated or damaged.")
        }
        guard collector.root == "edXML" || collector.root == "edXMLEnvelope" else {
            throw Refusal("Gói tin không phải edXML (phần tử gốc “\(collector.root.prefix(40))”).",
                          "Not an edXML message (root element “\(collector.root.prefix(40))”).")
        }
        if collector.values["StatusCode"] != nil { return .status(try status(collector)) }
        return .document(try document(collector, maxAttachmentBytes: maxAttachmentBytes))
    }

    private static func status(_ collector: Collector) throws(Refusal) -> StatusReport {
        let value = collector.value
        guard let fromCode = value("From/OrganId"), ElectronicCode.isValid(fromCode) else {
            throw Refusal("Thiếu hoặc sai mã định danh cơ quan gửi trạng thái (From/OrganId).",
                          "The reporting organ's code (From/OrganId) is missing or invalid.")
        }
        guard let documentID = value("ResponseFor/DocumentId"), documentID.count <= 300 else {
            throw Refusal("Thiếu mã văn bản được báo trạng thái (ResponseFor/DocumentId).", "The DocumentId reported on (ResponseFor/DocumentId) is missing.")
        }
        let raw = value("StatusCode") ?? ""
        let code = raw.count <= 4 ? Int(raw).map { String(format: "%02d", $0) } : nil
        guard let code, statusCodes.contains(code) else {
            throw Refusal("Mã trạng thái (StatusCode) “\(raw.prefix(20))” không hợp lệ: 01 đã đến, 02 từ chối, 03 đã vào sổ, 04 đã giao, 05 đang xử lý, 06 đã xong, 15 đồng ý thu hồi, 16 từ chối thu hồi.",
                          "The status code (StatusCode) “\(raw.prefix(20))” is invalid: 01 arrived, 02 refused, 03 registered, 04 assigned, 05 in progress, 06 done, 15 recall accepted, 16 recall refused.")
        }
        return StatusReport(documentID: documentID, fromCode: fromCode, fromName: value("From/OrganName").map { String($0.prefix(500)) },
                            statusCode: code, description: String((value("Description") ?? "").prefix(2000)),
                            at: value("Timestamp").flatMap(EdXMLWriter.instant(timestamp:)), staff: value("StaffInfo/Staff").map { String($0.prefix(200)) })
    }

    private static func document(_ collector: Collector, maxAttachmentBytes: Int) throws(Refusal) -> Message {
        let value = collector.value
        guard let fromCode = value("From/OrganId"), ElectronicCode.isValid(fromCode) else {
            throw Refusal("Thiếu hoặc sai mã định danh cơ quan gửi (From/OrganId).", "The sender's organ code (From/OrganId) is missing or invalid.")
        }
        let toCodes = collector.values["To/OrganId"] ?? []
        guard !toCodes.isEmpty, toCodes.count <= 500 else { throw Refusal("Thiếu nơi nhận (To/OrganId).", "No recipient (To/OrganId).") }
        guard let documentID = value("DocumentId"), documentID.count <= 300 else {
            throw Refusal("Thiếu mã văn bản (DocumentId).", "The DocumentId is missing.")
        }
        guard let number = value("Code/CodeNumber"), let code = value("Code/CodeNotation"),
              let notation = DocumentNotation(parsing: "\(number)/\(code)") else {
            throw Refusal("Thiếu hoặc sai số, ký hiệu văn bản (Code/CodeNumber, Code/CodeNotation).",
                          "The number or notation (Code/CodeNumber, Code/CodeNotation) is missing or invalid.")
        }
        guard let subject = value("Subject"), subject.count <= DraftInput.maxSubject else {
            throw Refusal("Thiếu trích yếu (Subject) hoặc trích yếu quá dài.", "The subject is missing or too long.")
        }
        guard collector.attachments.count <= maxAttachments else {
            throw Refusal("Gói tin có quá \(maxAttachments) tệp đính kèm.", "The message has more than \(maxAttachments) attachments.")
        }
        var attachments: [Attachment] = []
        for raw in collector.attachments {
            let name = raw["AttachmentName"] ?? raw["ContentId"] ?? ""
            guard let encoded = raw["ContentTransferEncoded"], encoded.utf8.count <= (maxAttachmentBytes / 3 + 1) * 4 + 4096,
                  let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters), !data.isEmpty, data.count <= maxAttachmentBytes else {
                throw Refusal("Tệp đính kèm “\(name.prefix(100))” rỗng, hỏng (base64) hoặc quá lớn.",
                              "The attachment “\(name.prefix(100))” is empty, not base64 or too large.")
            }
            attachments.append(Attachment(name: name, contentType: raw["ContentType"], data: data))
        }
        var business = EdXMLWriter.Business()
        if let raw = value("Bussiness/BussinessDocType") {
            guard let code = Int(raw), let kind = EdXMLWriter.Business.Kind(rawValue: code) else {
                throw Refusal("Loại nghiệp vụ (BussinessDocType) “\(raw.prefix(20))” không hợp lệ: 0 mới, 1 thu hồi, 2 cập nhật, 3 thay thế.",
                              "The business type (BussinessDocType) “\(raw.prefix(20))” is invalid: 0 new, 1 recall, 2 update, 3 replacement.")
            }
            business.kind = kind
        }
        business.reason = String((value("Bussiness/BussinessDocReason") ?? "").prefix(2000))
        business.replaces = Array((collector.values["ReplacementInfo/DocumentId"] ?? []).filter { !$0.isEmpty && $0.count <= 300 }.prefix(20))
        var message = Message(fromCode: fromCode, fromName: value("From/OrganName"), toCodes: toCodes, documentID: documentID, notation: notation,
                       promulgationDate: value("PromulgationInfo/PromulgationDate"), typeCode: value("DocumentType/Type").flatMap { Int($0) },
                       typeName: value("DocumentType/TypeName"), subject: subject, content: value("Content").map { String($0.prefix(DraftInput.maxBody)) },
                       priority: value("OtherInfo/Priority").flatMap { Int($0) }, attachments: attachments)
        message.business = business
        return message
    }

    /// A `DocumentId` in one form, to tell whether two name the same document: `OrganId,yyyy/MM/dd,number/notation`
    /// with the number as an integer (`05/QĐ-UBND` and `5/QĐ-UBND` are one document).
    static func documentKey(_ raw: String) -> String {
        guard let parts = documentIDParts(raw) else { return raw }
        return "\(parts.organ),\(parts.date),\(parts.notation.number)/\(parts.notation.code)"
    }

    /// A `DocumentId`'s parts: the issuing organ's code (as written), the date and the number and notation; nil when
    /// it has not three parts or its last is no notation.
    static func documentIDParts(_ raw: String) -> (organ: String, date: String, notation: DocumentNotation)? {
        let parts = raw.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 3, let notation = DocumentNotation(parsing: parts[2]) else { return nil }
        return (parts[0], parts[1], notation)
    }

    /// Whether `data` holds `needle` (lower-case ASCII, starting with `<!`), in any case: each `<!` is found by
    /// `Data.range(of:)` and the bytes after it compared, so a 100 MB message is scanned once.
    static func contains(_ data: Data, _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        let marker = Data("<!".utf8)
        var from = data.startIndex
        while let found = data.range(of: marker, in: from..<data.endIndex) {
            let tail = data[found.lowerBound...].prefix(pattern.count)
            if tail.count == pattern.count, zip(tail, pattern).allSatisfy({ ((0x41...0x5A).contains($0) ? $0 | 0x20 : $0) == $1 }) { return true }
            from = found.upperBound
        }
        return false
    }

    /// Collects the text of the elements an incoming document needs, by `Parent/Child` local names.
    private final class Collector: NSObject, XMLParserDelegate {
        var root = ""
        var closedRoot = false
        var stack: [String] = []
        var text = ""
        var values: [String: [String]] = [:]
        var attachments: [[String: String]] = []
        var attachment: [String: String]?
        var problem: Refusal?
        var count = 0

        /// The first non-empty text collected at `path`.
        func value(_ path: String) -> String? { values[path]?.first.flatMap { $0.isEmpty ? nil : $0 } }

        static let wanted: Set<String> = [
            "From/OrganId", "From/OrganName", "To/OrganId", "MessageHeader/DocumentId", "Code/CodeNumber", "Code/CodeNotation",
            "PromulgationInfo/PromulgationDate", "DocumentType/Type", "DocumentType/TypeName", "MessageHeader/Subject",
            "MessageHeader/Content", "OtherInfo/Priority", "Bussiness/BussinessDocType", "Bussiness/BussinessDocReason",
            "ReplacementInfo/DocumentId", "ResponseFor/DocumentId", "MessageHeader/StatusCode", "MessageHeader/Description",
            "MessageHeader/Timestamp", "StaffInfo/Staff",
        ]

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            count += 1
            if count > 100_000 || stack.count > 64 {
                problem = Refusal("Gói tin có quá nhiều phần tử hoặc lồng quá sâu.", "The message has too many or too deeply nested elements.")
                parser.abortParsing()
                return
            }
            let local = Self.local(name)
            if stack.isEmpty { root = local }
            if local == "Attachment" { attachment = [:] }
            stack.append(local)
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard text.utf8.count < 80 * 1024 * 1024 else { return }
            text += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let local = Self.local(name)
            let parent = stack.dropLast().last ?? ""
            let path = "\(parent)/\(local)"
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if Self.wanted.contains(path) {
                let key = parent == "MessageHeader" ? local : path
                values[key, default: []].append(String(value.prefix(maxText)))
            }
            if parent == "Attachment", attachment != nil {
                attachment?[local] = local == "ContentTransferEncoded" ? value : String(value.prefix(500))
            }
            if local == "Attachment", let attachment {
                attachments.append(attachment)
                self.attachment = nil
            }
            stack.removeLast()
            if stack.isEmpty { closedRoot = true }
            text = ""
        }

        /// `edXML:Subject` → `Subject`, whether or not the parser kept the prefix.
        static func local(_ name: String) -> String {
            name.split(separator: ":").last.map(String.init) ?? name
        }
    }
}
