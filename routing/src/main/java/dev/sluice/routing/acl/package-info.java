/** ACL fetches, match methods and conditions, with HAProxy's semantics; basic auth userlists. */
package dev.sluice.routing.acl;
