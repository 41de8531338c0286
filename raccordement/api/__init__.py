"""The Chorus Pro REST API (issue #6): `/cpro/<group>/v1/<service>`, POST with JSON, Chorus Pro's field names, the
`codeRetour`/`libelle` envelope. Every service calls the portal's own selectors and services as the technical user of
the calling technical account, so the API sees and does exactly what its structure may."""
