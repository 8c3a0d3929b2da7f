"""The EN 16931 business rules that apply to psys invoices, checked on a
Factur-X (CII) XML. No schematron validator of the official rule set can be
had offline (the packages that run it download the CEN artefacts at run
time), so each rule that can apply to a psys invoice (one seller, one buyer,
service lines without allowances nor charges, VAT exempt) is written here,
named as the standard names it."""

from decimal import Decimal

from lxml import etree

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
# UNCL 5305 as EN 16931 restricts it (BR-CL-17, BR-CL-18).
VAT_CATEGORIES = {"S", "Z", "E", "AE", "K", "G", "O", "L", "M"}
# The VATEX codes an exempt French practitioner may use (BR-CL-22, a subset).
VATEX = {"VATEX-FR-FRANCHISE", "VATEX-EU-132-1C", "VATEX-EU-132", "VATEX-FR-CNWVAT"}
# ISO 6523 ICD of French legal registration identifiers: SIRENE (9 digits), SIRET (14 digits).
ICD_DIGITS = {"0002": 9, "0009": 14}


def _amount(node, path):
    text = node.findtext(path, namespaces=NS)
    return Decimal(text) if text not in (None, "") else None


def _decimals(text):
    return len(text.split(".")[1]) if "." in text else 0


def en16931_violations(xml):
    """The rules ``xml`` breaks: ``[(rule, what), ...]``, empty when valid."""
    tree = etree.fromstring(xml)
    found = []

    def check(rule, ok, what):
        if not ok:
            found.append((rule, what))

    def text(node, path):
        return (node.findtext(path, namespaces=NS) or "").strip() if node is not None else ""

    doc = tree.find("rsm:ExchangedDocument", NS)
    check(
        "BR-01",
        text(tree, "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"),
        "specification identifier",
    )
    check("BR-02", text(doc, "ram:ID"), "invoice number")
    check("BR-03", text(doc, "ram:IssueDateTime/udt:DateTimeString"), "issue date")
    check("BR-04", text(doc, "ram:TypeCode") in {"380", "381", "384", "389", "751"}, "invoice type code")
    trade = tree.find("rsm:SupplyChainTradeTransaction", NS)
    agreement = trade.find("ram:ApplicableHeaderTradeAgreement", NS)
    settlement = trade.find("ram:ApplicableHeaderTradeSettlement", NS)
    currency = text(settlement, "ram:InvoiceCurrencyCode")
    check("BR-05", len(currency) == 3 and currency.isupper(), "invoice currency code")

    seller = agreement.find("ram:SellerTradeParty", NS)
    buyer = agreement.find("ram:BuyerTradeParty", NS)
    check("BR-06", text(seller, "ram:Name"), "seller name")
    check("BR-07", text(buyer, "ram:Name"), "buyer name")
    check("BR-08", seller.find("ram:PostalTradeAddress", NS) is not None, "seller postal address")
    check("BR-09", len(text(seller, "ram:PostalTradeAddress/ram:CountryID")) == 2, "seller country code")
    check("BR-10", buyer.find("ram:PostalTradeAddress", NS) is not None, "buyer postal address")
    check("BR-11", len(text(buyer, "ram:PostalTradeAddress/ram:CountryID")) == 2, "buyer country code")

    # Legal registration identifiers (BT-30, BT-47) and their schemes (BR-CL-11).
    for role, party in (("seller", seller), ("buyer", buyer)):
        for identifier in party.findall("ram:SpecifiedLegalOrganization/ram:ID", NS):
            value, scheme = identifier.text or "", identifier.get("schemeID")
            check("BR-CL-11", scheme is None or scheme in ICD_DIGITS, f"{role}: ISO 6523 scheme {scheme}")
            check("BT-30", value == value.strip() and " " not in value, f"{role}: identifier {value!r} with spaces")
            if scheme in ICD_DIGITS:
                check(
                    "BR-CL-11",
                    value.isdigit() and len(value) == ICD_DIGITS[scheme],
                    f"{role}: {value!r} is not a {ICD_DIGITS[scheme]}-digit identifier of scheme {scheme}",
                )
        for registration in party.findall("ram:SpecifiedTaxRegistration/ram:ID", NS):
            check("CII-SR-451", registration.get("schemeID") in {"VA", "FC"}, f"{role}: tax registration scheme")
    seller_vat = seller.findall("ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']", NS)
    seller_tax = seller.findall("ram:SpecifiedTaxRegistration/ram:ID[@schemeID='FC']", NS)
    check(
        "BR-CO-26",
        seller_vat or seller.find("ram:SpecifiedLegalOrganization/ram:ID", NS) is not None,
        "seller VAT identifier or legal registration identifier",
    )

    lines = trade.findall("ram:IncludedSupplyChainTradeLineItem", NS)
    check("BR-16", lines, "at least one invoice line")
    line_total = Decimal(0)
    line_categories = set()
    e_basis = Decimal(0)
    for line in lines:
        line_id = text(line, "ram:AssociatedDocumentLineDocument/ram:LineID")
        check("BR-21", line_id, "line identifier")
        quantity = line.find("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", NS)
        check("BR-22", quantity is not None and (quantity.text or "").strip(), f"line {line_id}: quantity")
        check("BR-23", quantity is not None and quantity.get("unitCode"), f"line {line_id}: unit of measure")
        net = _amount(
            line,
            "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
        )
        check("BR-24", net is not None, f"line {line_id}: net amount")
        check("BR-25", text(line, "ram:SpecifiedTradeProduct/ram:Name"), f"line {line_id}: item name")
        price = _amount(line, "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount")
        check("BR-26", price is not None, f"line {line_id}: net price")
        check("BR-27", price is None or price >= 0, f"line {line_id}: negative net price")
        categories = [
            text(tax, "ram:CategoryCode")
            for tax in line.findall("ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax", NS)
            if text(tax, "ram:TypeCode") == "VAT"
        ]
        check("BR-CO-04", len(categories) == 1 and categories[0] in VAT_CATEGORIES, f"line {line_id}: VAT category")
        if categories and categories[0] == "E":
            rate = _amount(line, "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent")
            check("BR-E-05", rate == 0, f"line {line_id}: exempt at {rate} %")
            e_basis += net or 0
        line_categories.update(categories)
        line_total += net or 0

    breakdowns = settlement.findall("ram:ApplicableTradeTax", NS)
    check("BR-CO-18", breakdowns, "at least one VAT breakdown")
    tax_sum = Decimal(0)
    for breakdown in breakdowns:
        category = text(breakdown, "ram:CategoryCode")
        basis = _amount(breakdown, "ram:BasisAmount")
        calculated = _amount(breakdown, "ram:CalculatedAmount")
        rate = _amount(breakdown, "ram:RateApplicablePercent") or Decimal(0)
        check("BR-45", basis is not None, f"{category}: taxable amount")
        check("BR-46", calculated is not None, f"{category}: tax amount")
        check("BR-47", category in VAT_CATEGORIES, f"{category}: VAT category code")
        check(
            "BR-CO-17",
            calculated == (basis * rate / 100).quantize(Decimal("0.01")),
            f"{category}: tax amount {calculated} is not {basis} x {rate} %",
        )
        tax_sum += calculated or 0
        if category == "E":
            check("BR-E-08", basis == e_basis, f"E: taxable amount {basis} is not the exempt lines' {e_basis}")
            check("BR-E-09", calculated == 0, "E: VAT amount must be 0")
            reason, code = text(breakdown, "ram:ExemptionReason"), text(breakdown, "ram:ExemptionReasonCode")
            check("BR-E-10", reason or code, "E: exemption reason or its code")
            check("BR-CL-22", not code or code in VATEX, f"E: exemption reason code {code}")
    check(
        "BR-E-01",
        "E" not in line_categories or [text(b, "ram:CategoryCode") for b in breakdowns].count("E") == 1,
        "one E breakdown for the exempt lines",
    )
    check(
        "BR-E-02",
        "E" not in line_categories or seller_vat or seller_tax,
        "an exempt invoice names the seller's VAT or tax registration identifier",
    )
    check(
        "BR-CO-03",
        not line_categories - {text(b, "ram:CategoryCode") for b in breakdowns},
        "every line category has its breakdown",
    )

    totals = settlement.find("ram:SpecifiedTradeSettlementHeaderMonetarySummation", NS)
    for rule, name in (
        ("BR-12", "LineTotalAmount"),
        ("BR-13", "TaxBasisTotalAmount"),
        ("BR-14", "GrandTotalAmount"),
        ("BR-15", "DuePayableAmount"),
    ):
        check(rule, _amount(totals, f"ram:{name}") is not None, name)
    for amount in totals:
        check("BR-DEC", _decimals(amount.text or "") <= 2, f"{etree.QName(amount).localname}: two decimals at most")
    allowances = _amount(totals, "ram:AllowanceTotalAmount") or Decimal(0)
    charges = _amount(totals, "ram:ChargeTotalAmount") or Decimal(0)
    document_allowances = sum(
        (
            _amount(charge, "ram:ActualAmount")
            for charge in settlement.findall("ram:SpecifiedTradeAllowanceCharge", NS)
            if text(charge, "ram:ChargeIndicator/udt:Indicator") == "false"
        ),
        Decimal(0),
    )
    document_charges = sum(
        (
            _amount(charge, "ram:ActualAmount")
            for charge in settlement.findall("ram:SpecifiedTradeAllowanceCharge", NS)
            if text(charge, "ram:ChargeIndicator/udt:Indicator") == "true"
        ),
        Decimal(0),
    )
    basis_total = _amount(totals, "ram:TaxBasisTotalAmount")
    tax_total = _amount(totals, "ram:TaxTotalAmount") or Decimal(0)
    grand_total = _amount(totals, "ram:GrandTotalAmount")
    prepaid = _amount(totals, "ram:TotalPrepaidAmount") or Decimal(0)
    rounding = _amount(totals, "ram:RoundingAmount") or Decimal(0)
    due = _amount(totals, "ram:DuePayableAmount")
    check("BR-CO-10", _amount(totals, "ram:LineTotalAmount") == line_total, "sum of the line net amounts")
    check("BR-CO-11", allowances == document_allowances, "sum of the document allowances")
    check("BR-CO-12", charges == document_charges, "sum of the document charges")
    check("BR-CO-13", basis_total == line_total - allowances + charges, "total without VAT")
    check("BR-CO-14", tax_total == tax_sum, "total VAT is the sum of the breakdowns")
    check("BR-CO-15", grand_total == (basis_total or 0) + tax_total, "total with VAT")
    check("BR-CO-16", due == (grand_total or 0) - prepaid + rounding, "amount due for payment")
    check(
        "BR-CO-25",
        not due
        or due <= 0
        or text(settlement, "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString")
        or text(settlement, "ram:SpecifiedTradePaymentTerms/ram:Description"),
        "a positive amount due has a due date or payment terms",
    )
    return found
