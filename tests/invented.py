"""Invented documents of each layout family, written for the rules (never copied from a seed)."""

SIGNED_BLOG = """\
Senate passes the harbour bill after a long night

posted at 9:05 pm on April 2, 2012 by Quill Writer

The harbour bill passed late on Monday after a long debate about dredging costs.

Supporters said the port would double its traffic within five years.

Related Posts:

Breaking on Harbour Watch
Another story about ports

Trackback URL

First! Long night for the senators.

night_owl_22 on April 2, 2012 at 11:52 PM

I listened to the whole debate on the radio.
It was painful.

Bob on the Hill on April 2, 2012 at 11:58 PM

First! Long night for the senators.
night_owl_22 on April 2, 2012 at 11:52 PM

Not as long as the one in 2009.

Mary.J_2 on April 3, 2012 at 12:04 AM

The vote was scheduled on April 2, 2012 at 6:00 PM
but it slipped by hours. Typical.

Carl on April 3, 2012 at 12:10 AM

Bob on the Hill on April 2, 2012 at 11:58 PM

Radio? What year is it?

Dee on April 3, 2012 at 12:15 AM

Second thought: the dredging costs will double.

Dee on April 3, 2012 at 12:15 AM
"""

DATED_REPOST = """\
Friday, 9 September 2011

Three lessons from the port strike

[Reposted from an article by Anna Berg Lund in the Coastal Herald.]

The strike ended after nine days. Three lessons stand out:

  1. Unions were better organised than in 2005.

  2. The city had no contingency plan.

  3. Shipping lines moved quickly to other ports.

None of this was a surprise to the dockers themselves.


  1. Great summary, thanks.

  2. Point 2 is the key one.
     The city still has no plan today.
"""

PAGED_NEWS = """\
Skip to: Content
Skip to: Site Navigation

Lighthouse keepers return to the northern coast

A century after automation, two lighthouses will be staffed again this winter.

(Page 1 of 1)

The coast guard announced on Tuesday that two lighthouses would be staffed again.

Skip to next paragraph

RELATED: Ten lighthouses you can visit this year

Officials cited storms that disabled automatic lamps twice last year.

Why now

Keepers will live on site from November to March.


Read Comments

View reader comments | Comment on this story
"""

WIDGET_NEWS = """\
Orchard growers brace for a late frost

  • Share
  • Read Later
Dana Ortiz / AP / Getty Images

Apple blossoms near the river, April 12

Growers across the valley lit fires and ran fans overnight as temperatures dropped.

"We lose a season in one night if it goes wrong," said a grower.
"""

PLAIN = """\
A short note on harbour dredging

Dredging the harbour will cost more than planned, the council said.

Work starts in May.
"""

RECRAWL_OF_SIGNED_BLOG = """\
Senate passes the harbour bill after a long night

The harbour bill passed late on Monday after a long debate about dredging costs.

Supporters said the port would double its traffic within five years.

Trending on Harbour Watch Video
Sam Reporter 8:31 AM on December 04, 2022
"""
