/** The header words each client field answers to, with where the CRMs' export headers come from. */
import type { ImportField } from './columns'

/**
 * The header keys (see headerKey) each field answers to, best first: a column earlier in a list
 * wins when a row has several filled. Besides the common spellings, the headers of the client
 * exports of the CRMs businesses switch from:
 * - Jobber: the client export's headers as owners met them (issue 15: "Client Name", "Display
 *   Name", "Company Name", "E-mail", "Email Address", "Mobile Phone", "Home Phone", "Service
 *   Street", "Service City", "Service State", "Service Zip", "Billing Street 1"), and a client's
 *   fields in Jobber's API (support.advancedjobberintegration.com, "Understanding Client Data":
 *   billing_address street_1, street_2, city, province_state, postal_code, country; company_name).
 *   Jobber's help center describes its client spreadsheet only in prose (help.getjobber.com,
 *   "Import your Jobs"); no published column list was found.
 * - Housecall Pro: an exported report has Customer (the display name), First Name, Last Name,
 *   Email, Company, Mobile Phone, Home Phone, Customer Tags, Address (the whole service address),
 *   Street, Street Line 2, City, State, Zip
 *   (help.housecallpro.com/en/articles/2999685-exported-report-breakdown); a customer also has a
 *   work number (schemas.apis.io/schemas/housecall-pro/housecall-pro-customer).
 * - ServiceTitan: a customer has a name ("for residential, last + first"), a type, an address
 *   (street, unit, city, state, zip, country) and contacts (Phone, MobilePhone, Email)
 *   (schemas.apis.io/schemas/servicetitan/servicetitan-customer); the customer record holds the
 *   billing address and the location record the service address
 *   (help.servicetitan.com/v1/docs/customer-and-location-records-overview). No published column
 *   list of its exports was found: "Customer Name", "Customer Id", "Location Street", … are those
 *   fields named as its screens name them, unconfirmed.
 * A service (property, location) address comes before a billing one: it is where the work is.
 */
export const SYNONYMS: Record<ImportField, string[]> = {
  first_name: [
    'firstname',
    'first',
    'givenname',
    'fname',
    'forename',
    'clientfirstname',
    'customerfirstname',
    'contactfirstname',
  ],
  last_name: [
    'lastname',
    'last',
    'surname',
    'familyname',
    'lname',
    'clientlastname',
    'customerlastname',
    'contactlastname',
  ],
  name: [
    'name',
    'fullname',
    'clientname',
    'customername',
    'contactname',
    'displayname',
    'client',
    'customer',
    'contact',
    'customerdisplayname',
    'clientdisplayname',
    // A business client's only name (Jobber "Company Name", Housecall Pro "Company").
    'companyname',
    'company',
    'businessname',
  ],
  email: [
    'email',
    'emailaddress',
    'mail',
    'primaryemail',
    'emails',
    'customeremail',
    'clientemail',
    'contactemail',
    'primaryemailaddress',
  ],
  phone: [
    'phone',
    'phonenumber',
    'primaryphone',
    'mobile',
    'mobilephone',
    'mobilenumber',
    'mobilephonenumber',
    'cell',
    'cellphone',
    'cellnumber',
    'mainphone',
    'customerphone',
    'clientphone',
    'contactphone',
    'phone1',
    'telephone',
    'tel',
    'homephone',
    'homenumber',
    'workphone',
    'worknumber',
    'otherphone',
  ],
  address1: [
    'address1',
    'addressline1',
    'street',
    'streetaddress',
    'street1',
    // After "Street": Housecall Pro's "Address" is the whole address, its "Street" the line.
    'address',
    'serviceaddress',
    'servicestreet',
    'servicestreet1',
    'serviceaddress1',
    'serviceaddressline1',
    'propertyaddress',
    'propertystreet',
    'propertystreet1',
    'locationaddress',
    'locationstreet',
    'customeraddress',
    'customerstreet',
    'billingaddress',
    'billingstreet',
    'billingstreet1',
    'billingaddress1',
    'billingaddressline1',
  ],
  address2: [
    'address2',
    'addressline2',
    'street2',
    'streetline2',
    'apt',
    'suite',
    'unit',
    'servicestreet2',
    'serviceaddress2',
    'serviceaddressline2',
    'propertystreet2',
    'locationunit',
    'billingstreet2',
    'billingaddress2',
    'billingaddressline2',
  ],
  city: ['city', 'town', 'locality', 'servicecity', 'propertycity', 'locationcity', 'customercity', 'billingcity'],
  state: [
    'state',
    'province',
    'stateprovince',
    'provincestate',
    'region',
    'servicestate',
    'serviceprovince',
    'servicestateprovince',
    'propertystate',
    'locationstate',
    'customerstate',
    'billingstate',
    'billingprovince',
    'billingstateprovince',
    'billingprovincestate',
  ],
  postal: [
    'postal',
    'postalcode',
    'zip',
    'zipcode',
    'postcode',
    'zippostalcode',
    'postalzipcode',
    'servicezip',
    'servicezipcode',
    'servicepostalcode',
    'propertyzip',
    'propertypostalcode',
    'locationzip',
    'customerzip',
    'billingzip',
    'billingzipcode',
    'billingpostalcode',
  ],
  country: ['country', 'countrycode', 'servicecountry', 'propertycountry', 'locationcountry', 'billingcountry'],
  tags: ['tags', 'tag', 'labels', 'groups', 'customertags', 'clienttags'],
  status: ['status', 'clientstatus', 'customerstatus'],
  external_id: [
    'externalid',
    'id',
    'clientid',
    'customerid',
    'externalref',
    'jobberid',
    'clientnumber',
    'customernumber',
  ],
  notes: ['notes', 'note', 'comments', 'clientnotes', 'customernotes'],
}
