import EGovCore
import Foundation

/// An issued document as an edXML message (QCVN 102:2016/BTTTT, amended 2022): the `edXML` root wrapping the
/// envelope (header with `MessageHeader` and `TraceHeaderList`, body with the manifest) and, beside it,
/// `AttachmentEncoded` with the files in base64. Written as text with every value escaped; what goes out of
/// the installation is this message.
enum EdXMLWriter {
    static let namespace = "http://www.mic.gov.vn/TBT/QCVN_102_2016"

    struct Organ: Sendable {
        let code: String
        let name: String
    }

    struct Attachment: Sendable {
        let name: String
        let contentType: String
        let data: Data
    }

    struct Message: Sendable {
        let from: Organ
        let to: [Organ]
        let notation: DocumentNotation
        let promulgatedAt: Date
        let place: String
        let typeCode: Int
        let typeName: String
        let subject: String
        let content: String?
        let signerName: String?
        let dueDate: Date?
        let urgency: DocumentUrgency
        var attachments: [Attachment]
        /// What the message does: a new document, or the recall or replacement of one sent before.
        var business = Business()

        /// `OrganId,yyyy/MM/dd,Number/Notation`, the message's identity across agencies.
        var documentID: String { EdXMLWriter.documentID(from: from.code, promulgatedAt: promulgatedAt, notation: notation) }
    }

    /// `TraceHeaderList/Bussiness` (so spelled in the standard): `BussinessDocType` 0 new, 1 recall, 2 update,
    /// 3 replacement; the reason; for a replacement, the `DocumentId`s of the documents it replaces.
    struct Business: Sendable {
        enum Kind: Int, Sendable { case new = 0, recall = 1, update = 2, replacement = 3 }

        var kind = Kind.new
        var reason = ""
        var replaces: [String] = []
    }

    /// A document's identity across agencies: `OrganId,yyyy/MM/dd,Number/Notation`.
    static func documentID(from organ: String, promulgatedAt: Date, notation: DocumentNotation) -> String {
        "\(organ),\(date(promulgatedAt)),\(notation.text)"
    }

    static func write(_ message: Message, sentAt now: Date) -> String {
        var x = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        x += #"<edXML xmlns="\#(namespace)"><edXML:edXMLEnvelope xmlns:edXML="\#(namespace)"><edXML:edXMLHeader><edXML:MessageHeader>"#
        x += organ("From", message.from)
        for organ in message.to { x += Self.organ("To", organ) }
        x += element("DocumentId", message.documentID)
        x += "<edXML:Code>" + element("CodeNumber", message.notation.printedNumber) + element("CodeNotation", message.notation.code) + "</edXML:Code>"
        x += "<edXML:PromulgationInfo>" + element("Place", message.place) + element("PromulgationDate", date(message.promulgatedAt))
            + "</edXML:PromulgationInfo>"
        x += "<edXML:DocumentType>" + element("Type", String(message.typeCode)) + element("TypeDetail", "0")
            + element("TypeName", message.typeName) + "</edXML:DocumentType>"
        x += element("Subject", message.subject)
        x += element("Content", message.content ?? "")
        x += "<edXML:SignerInfo>" + element("Competence", "") + element("Position", "") + element("FullName", message.signerName ?? "")
            + "</edXML:SignerInfo>"
        x += element("DueDate", message.dueDate.map(date) ?? "")
        x += "<edXML:OtherInfo>" + element("Priority", String(message.urgency.edXMLPriority)) + element("SphereOfPromulgation", "")
            + element("TyperNotation", "") + element("PromulgationAmount", "1") + element("PageAmount", "1") + element("Direction", "false")
            + "</edXML:OtherInfo>"
        x += element("SteeringType", "1")
        x += "</edXML:MessageHeader><edXML:TraceHeaderList><edXML:TraceHeader>" + element("OrganId", message.from.code)
            + element("Timestamp", timestamp(now)) + "</edXML:TraceHeader>" + business(message) + "</edXML:TraceHeaderList></edXML:edXMLHeader>"
        x += #"<edXML:edXMLBody><edXML:edXMLManifest version="1.0">"#
        for (index, file) in message.attachments.enumerated() {
            x += "<edXML:Reference>" + element("ContentId", "cid:\(index + 1)") + element("ContentType", file.contentType)
                + element("Description", file.name) + element("AttachmentName", file.name) + "</edXML:Reference>"
        }
        x += "</edXML:edXMLManifest></edXML:edXMLBody></edXML:edXMLEnvelope><AttachmentEncoded>"
        for (index, file) in message.attachments.enumerated() {
            x += "<Attachment><ContentId>cid:\(index + 1)</ContentId><AttachmentName>\(escape(file.name))</AttachmentName>"
                + "<Description>\(escape(file.name))</Description><ContentType>\(escape(file.contentType))</ContentType>"
                + "<ContentTransferEncoded>\(file.data.base64EncodedString())</ContentTransferEncoded></Attachment>"
        }
        return x + "</AttachmentEncoded></edXML>\n"
    }

    private static func business(_ message: Message) -> String {
        var x = "<edXML:Bussiness>" + element("BussinessDocType", String(message.business.kind.rawValue))
            + element("BussinessDocReason", message.business.reason) + element("DocumentId", message.documentID) + element("Paper", "0")
        if !message.business.replaces.isEmpty {
            x += "<edXML:ReplacementInfoList>"
            for documentID in message.business.replaces {
                x += "<edXML:ReplacementInfo>" + element("DocumentId", documentID) + "<edXML:OrganIdList>"
                    + message.to.map { element("OrganId", $0.code) }.joined() + "</edXML:OrganIdList></edXML:ReplacementInfo>"
            }
            x += "</edXML:ReplacementInfoList>"
        }
        return x + "</edXML:Bussiness>"
    }

    private static func organ(_ name: String, _ organ: Organ) -> String {
        "<edXML:\(name)>" + element("OrganId", organ.code) + element("OrganizationInCharge", "") + element("OrganName", organ.name)
            + element("OrganAdd", "") + element("Email", "") + element("Telephone", "") + element("Fax", "") + element("Website", "")
            + "</edXML:\(name)>"
    }

    static func element(_ name: String, _ value: String) -> String {
        "<edXML:\(name)>\(escape(value))</edXML:\(name)>"
    }

    /// Text as XML 1.0 content: the five special characters escaped, characters XML cannot carry left out.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value >= 0x20 && !(0xFFFE...0xFFFF).contains(value) { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// `yyyy/MM/dd`: a day as edXML writes it.
    static func date(_ day: CivilDate) -> String { day.description.replacingOccurrences(of: "-", with: "/") }
    /// `yyyy/MM/dd` in Vietnam's time.
    static func date(_ instant: Date) -> String { date(WorkingDayCalendar().civilDate(of: instant)) }
    /// `yyyy/MM/dd HH:mm:ss` in Vietnam's time.
    static func timestamp(_ instant: Date) -> String {
        let calendar = WorkingDayCalendar()
        let day = calendar.civilDate(of: instant)
        let seconds = max(0, Int(instant.timeIntervalSince(calendar.startOfDay(day))))
        return date(day) + String(format: " %02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
    }

    /// The instant a `timestamp` (`yyyy/MM/dd HH:mm:ss`, Vietnam's time, years 2000–2100) names; nil when it names none.
    static func instant(timestamp raw: String) -> Date? {
        let parts = raw.split(separator: " ")
        guard raw.count <= 19, parts.count == 2 else { return nil }
        let day = parts[0].split(separator: "/").compactMap { Int($0) }, time = parts[1].split(separator: ":").compactMap { Int($0) }
        guard day.count == 3, time.count == 3, (2000...2100).contains(day[0]), let civil = CivilDate(year: day[0], month: day[1], day: day[2]),
              (0...23).contains(time[0]), (0...59).contains(time[1]), (0...59).contains(time[2]) else { return nil }
        return WorkingDayCalendar().startOfDay(civil).addingTimeInterval(TimeInterval(time[0] * 3600 + time[1] * 60 + time[2]))
    }
}

extension EdXMLWriter {
    /// A status message (QCVN 102:2016) about a document received from `to`: `ResponseFor` names it, `From` the
    /// receiving organ, with the status code, its description, the time and who acted.
    struct StatusMessage: Sendable {
        let to: String
        let documentID: String
        let notation: String?
        let from: Organ
        let statusCode: String
        let description: String
        let staff: String
    }

    static func write(_ status: StatusMessage, at now: Date) -> String {
        var x = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        x += #"<edXML xmlns="\#(namespace)"><edXML:edXMLEnvelope xmlns:edXML="\#(namespace)"><edXML:edXMLHeader><edXML:MessageHeader>"#
        x += "<edXML:ResponseFor>" + element("OrganId", status.to) + element("Code", status.notation ?? "")
            + element("DocumentId", status.documentID) + "</edXML:ResponseFor>"
        x += "<edXML:From>" + element("OrganId", status.from.code) + element("OrganName", status.from.name) + "</edXML:From>"
        x += element("StatusCode", status.statusCode) + element("Description", status.description) + element("Timestamp", timestamp(now))
        x += "<edXML:StaffInfo>" + element("Department", status.from.name) + element("Staff", status.staff) + "</edXML:StaffInfo>"
        return x + "</edXML:MessageHeader></edXML:edXMLHeader><edXML:edXMLBody/></edXML:edXMLEnvelope></edXML>\n"
    }
}
