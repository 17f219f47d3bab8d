# Une modification de la charte refusée, publiée dans le journal de modération.
reload-refused-title = Charte non rechargée
reload-refused-intro = La charte précédente reste active. Erreurs :
