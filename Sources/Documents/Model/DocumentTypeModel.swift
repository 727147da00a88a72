import Fluent
import Foundation

/// `doc_types`: the administrative document types of Decree 30/2020 (art. 7) as the locality pack lists them,
/// with the abbreviation a notation uses (nil for công văn and thư công) and edXML's `DocumentType/Type` code.
final class DocumentTypeModel: Model, @unchecked Sendable {
    static let schema = "doc_types"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "name") var name: String
    @OptionalField(key: "abbreviation") var abbreviation: String?
    @Field(key: "edxml_type") var edXMLType: Int
    @Field(key: "sort_order") var sortOrder: Int

    init() {}

    init(id: String, name: String, abbreviation: String?, edXMLType: Int, sortOrder: Int) {
        (self.id, self.name, self.abbreviation, self.edXMLType, self.sortOrder) = (id, name, abbreviation, edXMLType, sortOrder)
    }
}

/// `doc_issuers`: the abbreviation a unit is written with in notations (`UBND`, `SNV`, `VP`), and whether it
/// issues documents in its own name with its own outgoing register (a province, department or commune), or
/// drafts them for the issuing body above it (a division, the People's Committee's office).
final class IssuerModel: Model, @unchecked Sendable {
    static let schema = "doc_issuers"

    @ID(custom: "unit_code", generatedBy: .user) var id: String?
    @Field(key: "abbreviation") var abbreviation: String
    @Field(key: "issues") var issues: Bool
    /// For a công văn drafted at the issuer itself: the drafting part of its notation (`VP`, the unit's office).
    @OptionalField(key: "office_abbreviation") var officeAbbreviation: String?
    /// The officer an incoming document is assigned to when the leader names nobody (issue 14 §7).
    @OptionalField(key: "default_handler") var defaultHandler: String?
    /// The process the body's outgoing documents follow (`process:` in `issuers.yaml`; default `outgoing`): a commune
    /// has no head of division, so its drafts go from the specialist to the leader.
    @OptionalField(key: "outgoing_process") var outgoingProcess: String?
    /// Whether numbers under 10 are written with a leading zero (`01/QĐ-SNV`, Decree 30/2020; `leadingZero:` in
    /// `issuers.yaml`, default true); a locality that writes `1/QĐ-SNV` says false.
    @OptionalField(key: "leading_zero") var leadingZero: Bool?

    init() {}

    init(unitCode: String, abbreviation: String, issues: Bool, officeAbbreviation: String?, defaultHandler: String? = nil,
         outgoingProcess: String? = nil, leadingZero: Bool? = nil) {
        (self.id, self.abbreviation, self.issues, self.officeAbbreviation) = (unitCode, abbreviation, issues, officeAbbreviation)
        self.leadingZero = leadingZero
        self.outgoingProcess = outgoingProcess
        self.defaultHandler = defaultHandler
    }
}
