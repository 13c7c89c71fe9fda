"""Invented pages with reader-comment threads, one per common layout, in English, German, French
and Spanish (written for the rules; never copied from a seed or from the development set).

Each entry of THREADS is (name, language, text, expected), where expected lists the comments as
(author, posted_text) in page order. ARTICLE is the body every page starts with; NO_THREAD holds
pages that carry dates and names but no comments.
"""

from __future__ import annotations

ARTICLE = """\
The harbour bridge opens after six years of work

The new bridge over the harbour opened on Monday after six years of building work and two
changes of contractor.

Engineers said the deck would carry twice the traffic of the old crossing, and the city expects
the ferry queue to shrink by half within a year.
"""

WORDPRESS_EN = (
    ARTICLE
    + """
3 Comments

 1. Marta Quill says:
    March 3, 2011 at 6:32 pm

    I drove across it this morning and the view is worth the toll, honestly.

    Reply
 2. bob_the_builder says:
    March 3, 2011 at 7:05 pm

    Six years is a long time for a bridge this size, but I am glad it is done.

    Reply
     1. Marta Quill says:
        March 3, 2011 at 7:40 pm

        @bob_the_builder you should see the old plans, they were much bigger.

        Reply
 3. Pingback: Bridge news roundup | Harbour Blog

Leave a Reply

Your email address will not be published. Required fields are marked *

Name *

Email *

Post Comment
"""
)

WORDPRESS_DE = (
    ARTICLE
    + """
4 Kommentare

 1. Jens Albrecht sagt:
    3. März 2011 um 13:04 Uhr

    Endlich ist die Brücke fertig, ich habe die Bauarbeiten jeden Tag gesehen.

    Antworten
 2. Frieda K. schreibt:
    3. März 2011 um 14:20 Uhr

    Ich finde den Preis für die Maut viel zu hoch für Pendler wie mich.

    Antworten
 3. Olaf sagt:
    4. März 2011 um 8:15 Uhr

    Wir fahren am Wochenende mit den Kindern hin und schauen sie uns an.

    Antworten

Schreibe einen Kommentar
"""
)

WORDPRESS_ES = (
    ARTICLE
    + """
3 comentarios

 1. Lucía Ferrer dijo:

    3 de marzo de 2011 a las 13:04

    Por fin terminaron el puente, yo lo esperaba desde hace años.

    Responder
 2. Andrés dijo:

    3 de marzo de 2011 a las 15:30

    Me parece que el peaje es demasiado caro para los que vivimos aquí.

    Responder
 3. Pilar dijo:

    4 de marzo de 2011 a las 9:12

    Mañana voy a cruzarlo en bicicleta con mis amigos del barrio.

    Responder
"""
)

SPIP_FR = (
    ARTICLE
    + """
Commentaires

  • Je suis passé dessus hier soir, la vue sur le port est magnifique.

    Claire Dubois le 3 mars 2011 à 13h04

    Répondre
  • Vous avez vu le prix du péage ? Je trouve cela excessif pour nous.

    Marc le 3 mars 2011 à 15h40

    Répondre
  • Nous irons le voir ce week-end avec toute la famille, enfin.

    Sophie L. le 4 mars 2011 à 9h05

    Répondre
"""
)

FRENCH_SAYS = (
    ARTICLE
    + """
3 commentaires

Claire Dubois a dit :
le 3 mars 2011 à 13h04

Je suis passé dessus hier soir, la vue sur le port est magnifique.

Marc a dit :
le 3 mars 2011 à 15h40

Vous avez vu le prix du péage ? Je trouve cela excessif pour nous.

Sophie L. a dit :
le 4 mars 2011 à 9h05

Nous irons le voir ce week-end avec toute la famille, enfin.
"""
)

BLOGGER = (
    ARTICLE
    + """
3 comments:

Tom Harker said...

I used to take the ferry every day, so this will save me an hour.

March 3, 2011 at 6:32 PM

Ines said...

Do you know whether bicycles may use the deck as well?

March 3, 2011 at 8:10 PM

Tom Harker said...

@Ines yes, there is a lane on the east side, I rode it myself.

March 4, 2011 at 9:02 AM

Post a Comment
"""
)

SIGNATURES = (
    ARTICLE
    + """
I drove across it this morning and the view is worth the toll.

Marta Quill on March 3, 2011 at 6:32 PM

Six years is a long time, but I am glad it is finally done.

bob_the_builder on March 3, 2011 at 7:05 PM

We will take the children to see it on Saturday, I think.

Kim on March 4, 2011 at 9:15 AM
"""
)

TYPEPAD = (
    ARTICLE
    + """
Comments

I drove across it this morning and the view is worth the toll.

Posted by: Marta Quill | March 03, 2011 at 06:32 PM

Six years is a long time, but I am glad it is finally done.

Posted by: bob_the_builder | March 03, 2011 at 07:05 PM

We will take the children to see it on Saturday, I think.

Posted by: Kim | March 04, 2011 at 09:15 AM

The comments to this entry are closed.
"""
)

MOVABLE_TYPE = (
    ARTICLE
    + """
Comments

I drove across it this morning and the view is worth the toll.

Posted by: Marta Quill at March 3, 2011 6:32 PM

Six years is a long time, but I am glad it is finally done.

Posted by: bob_the_builder at March 3, 2011 7:05 PM

We will take the children to see it on Saturday, I think.

Posted by: Kim at March 4, 2011 9:15 AM
"""
)

DATE_FIRST = (
    ARTICLE
    + """
Responses

 1. 03/03/2011 18:32 Marta Quill

    I drove across it this morning and the view is worth the toll.

 2. 03/03/2011 19:05 bob_the_builder

    Six years is a long time for a bridge, but I am glad it is done.

 3. 04/03/2011 09:15 Kim

    We will take the children to see it on Saturday, I think.
"""
)

DISQUS = (
    ARTICLE
    + """
12 comments

  • Marta Quill • 3 years ago

    I drove across it this morning and the view is worth the toll.

  • bob_the_builder • 3 years ago

    Six years is a long time for a bridge, but I am glad it is done.

  • Kim • 2 years ago

    We will take the children to see it on Saturday, I think.
"""
)

NUMBERED_WROTE = (
    ARTICLE
    + """
Reader comments

1. Marta Quill wrote:

I drove across it this morning and the view is worth the toll.

2. bob_the_builder wrote:

Marta Quill wrote:
the view is worth the toll

I disagree, you pay twice a day and the view gets old quickly.

3. Kim wrote:

We will take the children to see it on Saturday, I think.
"""
)

COMMENT_BY = (
    ARTICLE
    + """
3 Responses to “The harbour bridge opens”

Comment by Marta Quill — March 3, 2011 @ 6:32 pm

I drove across it this morning and the view is worth the toll.

Comment by bob_the_builder — March 3, 2011 @ 7:05 pm

Six years is a long time for a bridge, but I am glad it is done.

Comment by Kim — March 4, 2011 @ 9:15 am

We will take the children to see it on Saturday, I think.
"""
)

GERMAN_AM_UM = (
    ARTICLE
    + """
Kommentare

Jens Albrecht am 3. März 2011 um 13:04 Uhr

Endlich ist die Brücke fertig, ich habe die Bauarbeiten jeden Tag gesehen.

Frieda K. am 3. März 2011 um 14:20 Uhr

Ich finde den Preis für die Maut viel zu hoch für Pendler wie mich.

Olaf am 4. März 2011 um 8:15 Uhr

Wir fahren am Wochenende mit den Kindern hin und schauen sie uns an.
"""
)

FORUM = """\
Bridge toll too high? - Harbour Forum

Harbour Forum › Local news › Bridge toll too high?

harbourdweller
03.03.2011, 18:32

The toll for the new bridge is four euros. Is that not far too high for people who live here?

Reply Quote

ferrygirl
03.03.2011, 19:05

I agree with you, I pay it twice a day and it adds up quickly over a month.

Reply Quote

oldsalt
04.03.2011, 09:15

Wait until they lower it next year, you will see, they always do after the first rush.

Reply Quote

You must be logged in to reply to this topic.
"""

SITE_LINKED_FR = (
    ARTICLE
    + """
Commentaires

  • Claire

    J'ai traversé le pont ce matin et la vue vaut vraiment le péage, je vous assure.

  • http://www.exemple.fr/profil.php?id=12 Jean-Marc Dufour

    Six ans de travaux pour un pont de cette taille, mais je suis content que ce soit fini.

  • Lulu75

    Nous irons le voir samedi avec les enfants, je pense que vous devriez y aller aussi.

  • https://blog.exemple.fr/ Sophie Lemaire

    Je me souviens de la file pour le ferry, alors je ne me plains pas du péage du tout.
"""
)

BADGE_LINE_EN = (
    ARTICLE
    + """
4 Comments

 1. Marta Quill
    March 3, 2011 at 6:32 pm

    I drove across it this morning and the view is worth the toll, honestly.

    Reply
      □ Jo Harper
        Author
        March 3, 2011 at 8:10 pm

        Thank you Marta, I am glad you liked the view as much as I did that day.

        Reply
 2. bob_the_builder
    March 4, 2011 at 7:05 am

    Six years is a long time for a bridge this size, but I am glad it is done now.

    Reply
      □ Jo Harper
        Author
        March 4, 2011 at 9:00 am

        It was a long wait for all of us, Bob, and the ferry was no fun in winter.

        Reply
"""
)

BADGE_LINE_DE = (
    ARTICLE
    + """
3 Kommentare

 1. Beate
    4. März 2011 / 6:16

    Guten Morgen, ich bin heute früh über die Brücke gefahren und fand sie wunderbar.

    Antworten
      □ Jo Harper
        Autor
        4. März 2011 / 8:20

        Liebe Beate, das freut mich sehr, dass dir die Brücke so gut gefällt wie mir.

        Antworten
 2. Rowi
    4. März 2011 / 9:36

    Sechs Jahre sind eine lange Zeit, aber ich bin froh, dass sie jetzt fertig ist.

    Antworten
"""
)

NAME_CHROME_EN = (
    ARTICLE
    + """
Comments

Write a comment
Cancel Send

harbourfan Delete comment

great bridge, loved the walk across it.

03/04/2011 17:02
Reply Reply

Marta Quill Report

Did anyone else find the toll a bit steep for a bridge paid with taxes?

03/04/2011 18:10
Reply Reply

bob_the_builder Delete comment

Yes, far too steep for locals.

03/05/2011 08:15
Reply Reply
"""
)

NAME_CHROME_DE = (
    ARTICLE
    + """
Kommentare

 Kommentar schreiben
Abbrechen Senden

anna77 Kommentar löschen

habe die Brücke heute besucht, war super.

12.04.2011 17:02
Antworten Antworten

Hafenkind Kommentar löschen

Kann man auch mit dem Fahrrad über die Brücke fahren?

12.04.2011 18:26
Antworten Antworten

Olaf_B Kommentar löschen

Ja, es gibt einen eigenen Radweg.

13.04.2011 09:15
Antworten Antworten
"""
)

NAME_CHROME_ES = (
    ARTICLE
    + """
Comentarios

Escribe un comentario

lucia_m Responder

me encantó el paseo por el puente nuevo.

03/04/2011 17:02
Responder

Pedro Ruiz Denunciar

¿Alguien más piensa que el peaje es demasiado caro para un puente público?

03/04/2011 18:10
Responder

marinero Responder

Sí, demasiado caro para los vecinos.

05/04/2011 08:15
Responder
"""
)

BULLETED_ODD_NAMES_EN = (
    ARTICLE
    + """
Comments

  • Marta Quill

    I drove across it this morning and the view is worth the toll, honestly.

  • Anonymous

    Six years is a long time for a bridge this size, but I am glad it is done now.

  • bob_the_builder

    Hi all,

    We will take the children to see it on Saturday, I think you should too.

  • why so serious?

    I hope you all remember the ferry queue before you complain about the toll again.

  • https://quill.example.net/ Kim Ferreira

    You are right, the queue was far worse than any toll I have paid so far.

  • http://www.example.org/blog?id=4471 Pieter Vermeulen

    I walked across it with my dog yesterday and we both loved it, thank you all.

  • lucia_m

    My father worked on the old crossing, he would have been proud of this one.
"""
)

BULLETED_ODD_NAMES_DE = (
    ARTICLE
    + """
Kommentare

  • Hafenkind

    Ich bin heute früh über die Brücke gefahren, die Aussicht lohnt sich wirklich.

  • Ein Freund

    Sechs Jahre sind eine lange Zeit, aber ich bin froh, dass sie jetzt fertig ist.

  • Olaf_B

    Hallo zusammen,

    wir fahren am Samstag mit den Kindern hin, ihr solltet das auch tun.

  • echt jetzt?!

    Denkt doch bitte an die Schlange an der Fähre, bevor ihr über die Maut schimpft.

  • Anna Berg

    Da hast du recht, die Schlange war viel schlimmer als jede Maut, die ich kenne.

  • Jo Harper

    Ich bin gestern mit meinem Hund hinübergelaufen, und wir fanden es beide schön.

  • Rowi

    Mein Vater hat an der alten Brücke gebaut, er wäre stolz auf diese neue gewesen.
"""
)

NUMERIC_HANDLES_EN = (
    ARTICLE
    + """
3 Comments

 1. 1042 says:
    March 4, 2011 at 10:48 am

    +
    The text is well structured and the bridge is explained clearly, I think.

    Reply
 2. harbourfan says:
    March 4, 2011 at 11:06 am

    ?
    How long did the approach ramps take, do you happen to know that?

    Reply
 3. 1077 says:
    March 4, 2011 at 11:30 am

    Six years as far as I know, but the ramps only came right at the end.

    Reply
"""
)

NUMERIC_HANDLES_DE = (
    ARTICLE
    + """
3 Kommentare

 1. 1042 schreibt:
    4. März 2011 um 10:48

    +
    Der Text ist gut gegliedert und die Brücke wird gut erklärt, finde ich.

    Antworten
 2. Hafenkind schreibt:
    4. März 2011 um 11:06

    ?
    Wie lange hat der Bau der Rampen gedauert, weißt du das vielleicht?

    Antworten
 3. 1077 schreibt:
    4. März 2011 um 11:30

    Sechs Jahre, soweit ich weiß, aber die Rampen kamen erst ganz am Ende.

    Antworten
"""
)

ODD_SAYS_EN = (
    ARTICLE
    + """
4 Comments

  • Marta Quill says:
    March 4, 2011 at 10:48 am

    I drove across it this morning and the view is worth the toll, honestly.

    Reply
     1. @bob_builds says:
        March 4, 2011 at 11:06 am

        Six years is a long time for a bridge this size, but I am glad it is done.

        Reply
  • who is he anyway.... says:
    March 4, 2011 at 11:30 am

    Nobody here seems to know the engineer, but the deck looks solid to me.

    Reply
  • Thanks !! says:
    March 4, 2011 at 12:15 pm

    Great report, I will take the children on Saturday to see it for ourselves.

    Reply
  • Ann (@ann_k) says:
    March 4, 2011 at 1:05 pm

    The cycle lane is the best part, you can ride from the old town in ten minutes.

    Reply
"""
)

ODD_SAYS_DE = (
    ARTICLE
    + """
4 Kommentare

  • Hafenkind sagt:
    4. März 2011 um 10:48 Uhr

    Ich bin heute früh über die Brücke gefahren, die Aussicht lohnt sich wirklich.

    Antworten
     1. @olaf_b sagt:
        4. März 2011 um 11:06 Uhr

        Sechs Jahre sind eine lange Zeit, aber ich bin froh, dass sie jetzt fertig ist.

        Antworten
  • wer weiß das schon.... sagt:
    4. März 2011 um 11:30 Uhr

    Den Ingenieur kennt hier wohl keiner, aber die Fahrbahn sieht stabil aus.

    Antworten
  • Super !! sagt:
    4. März 2011 um 12:15 Uhr

    Schöner Bericht, ich fahre am Samstag mit den Kindern hin und schaue es mir an.

    Antworten
  • hm -_- sagt:
    4. März 2011 um 13:05 Uhr

    Der Radweg ist das Beste daran, man ist in zehn Minuten in der Altstadt.

    Antworten
"""
)

FRAMED_EN = (
    ARTICLE
    + """
Comments

I drove across it this morning and the view is worth the toll, honestly.

Posted by: Marta Quill at March 4, 2011 10:48 AM

Six years is a long time for a bridge this size, but I am glad it is done.

Posted by: Ned, keeper of the lighthouse at March 4, 2011 11:06 AM

We will take the children on Saturday, I think you should all go too.

Posted by: bob_the_builder at March 4, 2011 11:30 AM
"""
)

FRAMED_FR = (
    ARTICLE
    + """
Commentaires

J'ai traversé le pont ce matin et la vue vaut vraiment le péage, je vous assure.

Publié par : Claire | 4 mars 2011 à 10:48

Six ans de travaux pour un pont de cette taille, mais je suis content que ce soit fini.

Publié par : Jean, le gardien du phare | 4 mars 2011 à 11:06

Nous irons le voir samedi avec les enfants, vous devriez y aller aussi.

Publié par : Lulu75 | 4 mars 2011 à 11:30
"""
)

THREADS: list[tuple[str, str, str, list[tuple[str, str | None]]]] = [
    (
        "wordpress_en",
        "en",
        WORDPRESS_EN,
        [
            ("Marta Quill", "March 3, 2011 at 6:32 pm"),
            ("bob_the_builder", "March 3, 2011 at 7:05 pm"),
            ("Marta Quill", "March 3, 2011 at 7:40 pm"),
        ],
    ),
    (
        "wordpress_de",
        "de",
        WORDPRESS_DE,
        [
            ("Jens Albrecht", "3. März 2011 um 13:04 Uhr"),
            ("Frieda K.", "3. März 2011 um 14:20 Uhr"),
            ("Olaf", "4. März 2011 um 8:15 Uhr"),
        ],
    ),
    (
        "wordpress_es",
        "es",
        WORDPRESS_ES,
        [
            ("Lucía Ferrer", "3 de marzo de 2011 a las 13:04"),
            ("Andrés", "3 de marzo de 2011 a las 15:30"),
            ("Pilar", "4 de marzo de 2011 a las 9:12"),
        ],
    ),
    (
        "spip_fr",
        "fr",
        SPIP_FR,
        [
            ("Claire Dubois", "3 mars 2011 à 13h04"),
            ("Marc", "3 mars 2011 à 15h40"),
            ("Sophie L.", "4 mars 2011 à 9h05"),
        ],
    ),
    (
        "french_says",
        "fr",
        FRENCH_SAYS,
        [
            ("Claire Dubois", "3 mars 2011 à 13h04"),
            ("Marc", "3 mars 2011 à 15h40"),
            ("Sophie L.", "4 mars 2011 à 9h05"),
        ],
    ),
    (
        "blogger",
        "en",
        BLOGGER,
        [
            ("Tom Harker", "March 3, 2011 at 6:32 PM"),
            ("Ines", "March 3, 2011 at 8:10 PM"),
            ("Tom Harker", "March 4, 2011 at 9:02 AM"),
        ],
    ),
    (
        "signatures",
        "en",
        SIGNATURES,
        [
            ("Marta Quill", "March 3, 2011 at 6:32 PM"),
            ("bob_the_builder", "March 3, 2011 at 7:05 PM"),
            ("Kim", "March 4, 2011 at 9:15 AM"),
        ],
    ),
    (
        "typepad",
        "en",
        TYPEPAD,
        [
            ("Marta Quill", "March 03, 2011 at 06:32 PM"),
            ("bob_the_builder", "March 03, 2011 at 07:05 PM"),
            ("Kim", "March 04, 2011 at 09:15 AM"),
        ],
    ),
    (
        "movable_type",
        "en",
        MOVABLE_TYPE,
        [
            ("Marta Quill", "March 3, 2011 6:32 PM"),
            ("bob_the_builder", "March 3, 2011 7:05 PM"),
            ("Kim", "March 4, 2011 9:15 AM"),
        ],
    ),
    (
        "date_first",
        "en-GB",
        DATE_FIRST,
        [
            ("Marta Quill", "03/03/2011 18:32"),
            ("bob_the_builder", "03/03/2011 19:05"),
            ("Kim", "04/03/2011 09:15"),
        ],
    ),
    (
        "disqus",
        "en",
        DISQUS,
        [
            ("Marta Quill", "3 years ago"),
            ("bob_the_builder", "3 years ago"),
            ("Kim", "2 years ago"),
        ],
    ),
    (
        "numbered_wrote",
        "en",
        NUMBERED_WROTE,
        [("Marta Quill", None), ("bob_the_builder", None), ("Kim", None)],
    ),
    (
        "comment_by",
        "en",
        COMMENT_BY,
        [
            ("Marta Quill", "March 3, 2011 @ 6:32 pm"),
            ("bob_the_builder", "March 3, 2011 @ 7:05 pm"),
            ("Kim", "March 4, 2011 @ 9:15 am"),
        ],
    ),
    (
        "german_am_um",
        "de",
        GERMAN_AM_UM,
        [
            ("Jens Albrecht", "3. März 2011 um 13:04 Uhr"),
            ("Frieda K.", "3. März 2011 um 14:20 Uhr"),
            ("Olaf", "4. März 2011 um 8:15 Uhr"),
        ],
    ),
    (
        "forum",
        "en",
        FORUM,
        [  # the first post is the page's body
            ("ferrygirl", "03.03.2011, 19:05"),
            ("oldsalt", "04.03.2011, 09:15"),
        ],
    ),
    (
        "site link before the name (fr)",
        "fr",
        SITE_LINKED_FR,
        [("Claire", None), ("Jean-Marc Dufour", None), ("Lulu75", None), ("Sophie Lemaire", None)],
    ),
    (
        "role badge on its own line (en)",
        "en",
        BADGE_LINE_EN,
        [
            ("Marta Quill", "March 3, 2011 at 6:32 pm"),
            ("Jo Harper", "March 3, 2011 at 8:10 pm"),
            ("bob_the_builder", "March 4, 2011 at 7:05 am"),
            ("Jo Harper", "March 4, 2011 at 9:00 am"),
        ],
    ),
    (
        "role badge on its own line (de)",
        "de",
        BADGE_LINE_DE,
        [
            ("Beate", "4. März 2011 / 6:16"),
            ("Jo Harper", "4. März 2011 / 8:20"),
            ("Rowi", "4. März 2011 / 9:36"),
        ],
    ),
    (
        "name then reply chrome (en)",
        "en",
        NAME_CHROME_EN,
        [
            ("harbourfan", "03/04/2011 17:02"),
            ("Marta Quill", "03/04/2011 18:10"),
            ("bob_the_builder", "03/05/2011 08:15"),
        ],
    ),
    (
        "name then reply chrome (de)",
        "de",
        NAME_CHROME_DE,
        [
            ("anna77", "12.04.2011 17:02"),
            ("Hafenkind", "12.04.2011 18:26"),
            ("Olaf_B", "13.04.2011 09:15"),
        ],
    ),
    (
        "name then reply chrome (es)",
        "es",
        NAME_CHROME_ES,
        [
            ("lucia_m", "03/04/2011 17:02"),
            ("Pedro Ruiz", "03/04/2011 18:10"),
            ("marinero", "05/04/2011 08:15"),
        ],
    ),
    (
        "bulleted names that fail the name test, site links (en)",
        "en",
        BULLETED_ODD_NAMES_EN,
        [
            ("Marta Quill", None),
            ("Anonymous", None),
            ("bob_the_builder", None),
            ("why so serious?", None),
            ("Kim Ferreira", None),
            ("Pieter Vermeulen", None),
            ("lucia_m", None),
        ],
    ),
    (
        "bulleted names that fail the name test (de)",
        "de",
        BULLETED_ODD_NAMES_DE,
        [
            ("Hafenkind", None),
            ("Ein Freund", None),
            ("Olaf_B", None),
            ("echt jetzt?!", None),
            ("Anna Berg", None),
            ("Jo Harper", None),
            ("Rowi", None),
        ],
    ),
    (
        "numeric handles and a reader's mark (en)",
        "en",
        NUMERIC_HANDLES_EN,
        [
            ("1042", "March 4, 2011 at 10:48 am"),
            ("harbourfan", "March 4, 2011 at 11:06 am"),
            ("1077", "March 4, 2011 at 11:30 am"),
        ],
    ),
    (
        "numeric handles and a reader's mark (de)",
        "de",
        NUMERIC_HANDLES_DE,
        [
            ("1042", "4. März 2011 um 10:48"),
            ("Hafenkind", "4. März 2011 um 11:06"),
            ("1077", "4. März 2011 um 11:30"),
        ],
    ),
    (
        "says: a handle with @, a sentence, marks (en)",
        "en",
        ODD_SAYS_EN,
        [
            ("Marta Quill", "March 4, 2011 at 10:48 am"),
            ("@bob_builds", "March 4, 2011 at 11:06 am"),
            ("who is he anyway....", "March 4, 2011 at 11:30 am"),
            ("Thanks !!", "March 4, 2011 at 12:15 pm"),
            ("Ann (@ann_k)", "March 4, 2011 at 1:05 pm"),
        ],
    ),
    (
        "sagt: a handle with @, a sentence, marks (de)",
        "de",
        ODD_SAYS_DE,
        [
            ("Hafenkind", "4. März 2011 um 10:48 Uhr"),
            ("@olaf_b", "4. März 2011 um 11:06 Uhr"),
            ("wer weiß das schon....", "4. März 2011 um 11:30 Uhr"),
            ("Super !!", "4. März 2011 um 12:15 Uhr"),
            ("hm -_-", "4. März 2011 um 13:05 Uhr"),
        ],
    ),
    (
        "posted by: a name framed by fixed words (en)",
        "en",
        FRAMED_EN,
        [
            ("Marta Quill", "March 4, 2011 10:48 AM"),
            ("Ned, keeper of the lighthouse", "March 4, 2011 11:06 AM"),
            ("bob_the_builder", "March 4, 2011 11:30 AM"),
        ],
    ),
    (
        "publié par : a name framed by fixed words (fr)",
        "fr",
        FRAMED_FR,
        [
            ("Claire", "4 mars 2011 à 10:48"),
            ("Jean, le gardien du phare", "4 mars 2011 à 11:06"),
            ("Lulu75", "4 mars 2011 à 11:30"),
        ],
    ),
]

NO_THREAD = [
    # An archive list: headlines with dates, newest first, no comments.
    ARTICLE
    + """
More from the harbour desk

Ferry timetable changes for the summer
March 2, 2011

Dock workers vote on the new contract
February 27, 2011

Harbour master retires after thirty years
February 20, 2011

Fish market moves to the east quay
February 14, 2011
""",
    # A menu of bullets and a schedule of clock times.
    ARTICLE
    + """
  • Home
  • News
  • Sport
  • Weather
  • Contact

Opening ceremony
10:00 AM

Ribbon cutting
11:30 AM

Public walk across the deck
2:00 PM
""",
    # Prose that mentions people and dates.
    ARTICLE
    + """
The mayor said on March 3, 2011 at 6:32 PM that the toll would be reviewed.

Anna Berg, the chief engineer, said the deck was tested on March 1, 2011.

Work on the approach roads will go on until June 30, 2011, the city said.
""",
]

#: A page in English whose slash dates are day first: one of them ('09/06/2020') reads either
#: way, the others only day first (comment_date_form_v1, comment_date_order_v1).
SLASH_DATES_EN = (
    ARTICLE
    + """
4 Comments

 1. Marta Quill

    23/04/2020 at 8:53 am

    I drove across it this morning and the view is worth the toll, honestly.

    Reply
 2. Bob Fenwick

    28/05/2020 at 5:10 pm

    Six years is a long time for a bridge, but I am glad that it is done now.

    Reply
 3. Kim Adair

    09/06/2020 at 1:53 pm

    We will take the children to see it on Saturday if the weather holds up.

    Reply
 4. Lou Petersen

    10/06/2020 at 8:15 pm

    The cycle lane on the east side is a welcome surprise for all of us here.

    Reply

Leave a Reply
"""
)

#: A French thread whose recent comments print no year ('Le 9 janvier à 13:06').
NO_YEAR_FR = (
    ARTICLE
    + """
Vos réactions

  • Je suis passé dessus hier soir, la vue sur le port est magnifique.

    Claire Dubois Le 11 décembre 2019 à 12:57

    Répondre
  • Vous avez vu le prix du péage ? Je trouve cela excessif pour nous.

    Marc Le 9 janvier à 13:06

    Répondre
  • Nous irons le voir ce week-end avec toute la famille, enfin.

    Sophie L. Le 30 janvier à 20:51

    Répondre
  • Il était temps, on attendait ce pont depuis des années.

    Paul Mercier Le 5 février à 21:27

    Répondre
"""
)

#: A German thread where one reply is nothing but emoji (comment_emoji_text_v1).
EMOJI_REPLY_DE = (
    ARTICLE
    + """
6 Kommentare

 1. Sarah Lind sagt:
    20. November 2022 um 21:39 Uhr

    Ich bin so froh, dass die Brücke endlich fertig ist, wir fahren jeden Tag darüber.

    Antworten
      □ Karl Berger sagt:
        20. November 2022 um 21:44 Uhr

        Danke dir, das freut mich sehr, wir sehen uns bestimmt einmal auf der Brücke.

        Antworten
          ☆ Sarah Lind sagt:
            23. November 2022 um 7:46 Uhr

            🥰🥰🥰

            Antworten
 2. Johanna Wirth sagt:
    27. November 2022 um 13:14 Uhr

    Wie lange hat der Bau insgesamt gedauert? Ich habe sechs Jahre gelesen, stimmt das?

    Antworten
 3. Ole Brandt sagt:
    28. November 2022 um 9:02 Uhr

    Wir sind am Sonntag mit dem Rad hinüber gefahren, der Radweg ist wirklich breit genug.

    Antworten
 4. Mia Roth sagt:
    29. November 2022 um 18:30 Uhr

    Schade nur, dass die alte Fähre bald eingestellt wird, ich bin sie immer gern gefahren.

    Antworten
"""
)


def forum_regulars_de() -> str:
    """A forum thread under its opener: sixteen posts by five regulars, each header the name
    glued to the date and the clock (date_glued_v1; thread_participants_v1)."""
    names = ["brueckenfan", "Hafen77", "Lotsin", "Kapitaen2013", "Ebbe"]
    texts = [
        "Ich habe die Brücke gestern zum ersten Mal benutzt und war begeistert.",
        "Bei mir dauert die Fahrt zur Arbeit jetzt zehn Minuten weniger als früher.",
        "Weiß jemand, ob die Fähre trotzdem weiter fährt oder eingestellt wird?",
        "Die Fähre fährt noch bis zum Sommer, danach nur noch am Wochenende.",
    ]
    posts = []
    for k in range(16):
        posts.append(
            f"{names[k % 5]}{10 + k // 4:02d}.10.19{10 + k % 4:02d}:{10 + 3 * k:02d}\n"
            f"{texts[k % 4]}\n{'+1' if k % 2 else '0'}\n"
        )
    return ARTICLE + "\nKommentare\n\n" + "".join(posts)


#: A question-and-answer page: a few comments under the question and under each answer, each
#: signed below its text ('– NAME' and the date on the next line), the runs far apart
#: (thread_more_runs_v1).
def questions_and_answers() -> str:
    answer = (
        "The ferry will keep a reduced timetable until the end of the summer, because the "
        "islands on the outer route have no road link yet and the council has promised to "
        "serve them until the second bridge opens. "
    )
    filler = "".join(f"{answer}\n\n" for _ in range(14))  # more than the opener window
    runs = [
        [("Marta Quill", "Mar 3, 2011 at 18:32"), ("Bob Fenwick", "Mar 3, 2011 at 19:05")],
        [
            ("Kim Adair", "Mar 4, 2011 at 9:15"),
            ("Lou Petersen", "Mar 4, 2011 at 9:40"),
            ("Marta Quill", "Mar 4, 2011 at 10:02"),
            ("Ines Vogt", "Mar 4, 2011 at 11:30"),
        ],
        [("Bob Fenwick", "Mar 5, 2011 at 8:01")],
    ]
    texts = [
        "Is that on the council's own site somewhere? I could not find it there.",
        "I asked at the harbour office and they told me the same thing, thanks.",
        "Do you know whether the night boat is part of the reduced timetable too?",
        "My neighbour works on the ferry and says the crews have not been told yet.",
    ]
    parts = [ARTICLE]
    k = 0
    for run in runs:
        parts.append("\n" + filler + "Share\nImprove this answer\nFollow\n\n")
        for name, when in run:
            parts.append(f"  • 2\n    {texts[k % 4]}\n    – {name}\n    {when}\n")
            k += 1
        parts.append("\nAdd a comment\n")
        parts.append("\n" + "Answer\n\n" * 2)
    return "".join(parts)
